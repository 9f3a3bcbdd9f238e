import { systemClock } from "../core/clock.js";
import { actionsCoreIO } from "./action-io.js";
import { runAction } from "./run.js";

// The one place the action reads the process's environment and clock; everything below takes them.
await runAction(actionsCoreIO(process.env), process.env, systemClock);
