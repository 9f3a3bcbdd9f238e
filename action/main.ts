import { actionsCoreIO } from "./action-io.js";
import { runAction } from "./run.js";

await runAction(actionsCoreIO(), process.env, new Date());
