// After each file edit, run the project's guard (scripts/guard.py) on the edited files and
// append its findings to the tool result, so the model reads them at once. No dependencies.
import { execFile } from "node:child_process";

const EDIT_TOOLS = new Set(["edit", "write", "apply_patch", "multiedit", "patch"]);
const GUARD = ["run", "--offline", "--quiet", "python", "-m", "scripts.hooks.opencode"];

function guard(directory, payload) {
  return new Promise((resolve) => {
    const child = execFile("uv", GUARD, { cwd: directory }, (error, stdout, stderr) => {
      resolve(error && !stdout ? `The guard did not run: ${stderr || error.message}` : stdout);
    });
    child.stdin.end(JSON.stringify(payload));
  });
}

export const Guard = async ({ directory }) => ({
  "tool.execute.after": async (input, output) => {
    if (!EDIT_TOOLS.has(input.tool)) return;
    const found = (await guard(directory, { tool: input.tool, args: input.args })).trim();
    if (found) output.output = `${output.output ?? ""}\n\n${found}`;
  },
});
