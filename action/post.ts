import { actionsCoreIO } from "./action-io.js";
import { cleanup } from "./cleanup.js";

await cleanup(actionsCoreIO(process.env));
