import { main } from './main.js';

void Promise.resolve(main(process.argv.slice(2))).then((code) => {
  process.exitCode = code;
});
