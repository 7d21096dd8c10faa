// The real fast-check, under the name the mutation config's alias gives it (see fast-check-capped.ts).
declare module 'fast-check-real' {
  import fc from 'fast-check';
  export * from 'fast-check';
  export default fc;
}
