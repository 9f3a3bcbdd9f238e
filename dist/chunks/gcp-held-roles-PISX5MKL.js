import { createRequire as __jitopsRequire } from 'node:module'; import { fileURLToPath as __jitopsPath } from 'node:url'; const require = __jitopsRequire(import.meta.url); const __filename = __jitopsPath(import.meta.url); const __dirname = __jitopsPath(new URL('.', import.meta.url));
import{a}from"./chunk-JUZ2YYZX.js";import"./chunk-4ETFTKFW.js";export{a as gcpRolesHeld};
