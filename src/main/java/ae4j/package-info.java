/**
 * The shared helpers every package may use: the seeded generator ({@link ae4j.Rng}), atomic writes, progress
 * bars and the user-input error.
 * <p>
 * Floor 0 of the layering (bottom to top: {@code ae4j}; {@code spec}, {@code data}; {@code backend}, {@code
 * engine}; {@code nn}; {@code train}; {@code experiments}; {@code viz}, {@code bench}; {@code cli}). A package
 * uses only the floors below its own (and, on its own floor, only itself); {@code LayeringTest} reads the
 * compiled classes and holds this.
 * <p>
 * Public API: {@link ae4j.UserInputException} alone, which the public API throws for bad input; the rest of this
 * package is internal: not part of the public API; may change without notice (docs/library.md).
 */
package ae4j;
