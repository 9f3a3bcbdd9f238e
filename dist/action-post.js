import { createRequire as __jitopsRequire } from 'node:module'; import { fileURLToPath as __jitopsPath } from 'node:url'; const require = __jitopsRequire(import.meta.url); const __filename = __jitopsPath(import.meta.url); const __dirname = __jitopsPath(new URL('.', import.meta.url));
import{a as o,c as r}from"./chunks/chunk-OJJD6IHM.js";import"./chunks/chunk-A452LIZN.js";await r(o(process.env));
