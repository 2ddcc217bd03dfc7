// Errors in Workers AI's wording ("AiError: <code>: <message>"); across RPC only the message survives.

export const AI_INVALID_INPUT = 5006;
export const AI_NO_SUCH_MODEL = 5007;

export function aiError(code: number, message: string): Error {
  const error = new Error(`AiError: ${code}: ${message}`);
  error.name = "AiError";
  return error;
}

export function invalidInput(message: string): Error {
  return aiError(AI_INVALID_INPUT, `Error: ${message}`);
}
