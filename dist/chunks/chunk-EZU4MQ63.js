import { createRequire as __jitopsRequire } from 'node:module'; import { fileURLToPath as __jitopsPath } from 'node:url'; const require = __jitopsRequire(import.meta.url); const __filename = __jitopsPath(import.meta.url); const __dirname = __jitopsPath(new URL('.', import.meta.url));
function t(o,r,i=e=>e){return`${o}:${r.line}:${r.column} ${i(r.code)}: ${r.message}`}export{t as a};
