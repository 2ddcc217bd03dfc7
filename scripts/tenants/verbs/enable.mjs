// `tenants enable <id>`: a disabled tenant answers again.
import { setDisabled } from "./disable.mjs";

export const usage = "enable <id>";
export const options = {};

export const run = (ctx) => setDisabled(ctx, false);
