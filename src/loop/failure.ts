// What a handler threw: given to the loop's onError, or rethrown as an ordinary uncaught
// exception once Node's stack is its own again (never inside the native callback).
export function failureHandler(onError: ((error: unknown) => void) | undefined): (error: unknown) => void {
  return (error) => {
    if (onError) {
      try {
        onError(error);
        return;
      } catch (again) {
        error = again;
      }
    }
    setImmediate(() => {
      throw error;
    });
  };
}
