import { installRuleLoader } from '../../src/core/compile.js';
import { compileRuleFile } from '../../src/core/rule-loader.js';

// Under test the policies import their rules files as JSON (the library build checks them and
// bundles the result instead), and a test may import one policy module without the root entry:
// give every test file the loader that `evaluate` installs.
installRuleLoader(compileRuleFile);
