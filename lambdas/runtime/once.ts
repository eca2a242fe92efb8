/**
 * The one way the runtime builds things lazily: `once(build)` is a getter that builds on its first call and then
 * returns the same value. Clients, stores, services and each concern's configuration are all built this way, so
 * a function builds (and validates) only what its handler asks for; a handler that asks at module scope fails
 * at cold start rather than on its first request.
 */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
