/**
 * The command line ({@code ./ae4j}): picocli commands, their options and the files they write.
 * <p>
 * Floor 7, the top: uses any package below.
 * <p>
 * Internal: not part of the public API; may change without notice (docs/library.md names the public API).
 */
package ae4j.cli;
