/**
 * The command line ({@code ./ae4j}): picocli commands, their options and the files they write.
 * <p>
 * Floor 7, the top: uses any package below.
 */
package ae4j.cli;
