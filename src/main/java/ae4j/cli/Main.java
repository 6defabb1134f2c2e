package ae4j.cli;

import ae4j.UserInputException;
import ae4j.backend.BackendBootstrap;
import ae4j.backend.BuildInfo;
import ae4j.backend.RuntimeProfile;
import ae4j.train.EngineChoice;
import ae4j.train.OutOfMemoryException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code ae4j} command line. Exit codes: 0 success, 2 bad input or usage (one line on stderr, no stack trace),
 * 1 any other failure. The backend is chosen before any ND4J class loads (see {@link BackendBootstrap}).
 */
@Command(name = "ae4j",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Autoencoders for the JVM: the autoencoders of Hands-On Machine Learning (2nd ed.), chapter 17, trained on ND4J.",
        subcommands = {DemoCommand.class, InfoCommand.class, TrainCommand.class, EncodeCommand.class, ScoreCommand.class, ReconstructCommand.class, TsneCommand.class, PretrainCommand.class, CurvesCommand.class, BenchCommand.class, ExportCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 2 bad input or usage, 1 failure. Set AE4J_DEBUG=1 to see stack traces."})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @Option(names = "--backend", scope = ScopeType.INHERIT, paramLabel = "cpu|cuda",
            description = "Backend to run on; the ./ae4j launcher builds each backend into target/<backend>. Default: cpu.")
    String backend;

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Runtime profile (threads, JVM options, defaults). Default: profiles/<backend>.properties.")
    Path profile;

    @Option(names = "--fallback-cpu", scope = ScopeType.INHERIT,
            description = "When the GPU or the engine asked for cannot run here, run on the CPU instead of stopping.")
    boolean fallbackCpu;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Parses and runs one command line; returns the exit code. A command that fails, or is interrupted, leaves no
     * empty folder it created.
     */
    public static int run(String... args) {
        OutputFolder.CREATED.keep();
        Thread interrupted = new Thread(OutputFolder.CREATED::removeEmpty, "ae4j-remove-empty-folders");
        Runtime.getRuntime().addShutdownHook(interrupted);
        int code;
        try {
            code = execute(args);
        } catch (OutOfMemoryError e) {
            System.err.printf("ae4j: error: out of Java heap (%d MiB): raise -Xmx in the profile's jvm.options (profiles/), or give the rows "
                    + "as a .npy file, which is read in place%n", Runtime.getRuntime().maxMemory() >> 20);
            code = EXIT_FAILURE;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException e) {
                // the JVM is shutting down, and the hook is running
            }
        }
        if (code == EXIT_OK) {
            OutputFolder.CREATED.keep();
        } else {
            OutputFolder.CREATED.removeEmpty();
        }
        return code;
    }

    /** Help width: descriptions are written as sentences that picocli wraps at this many columns. */
    static final int USAGE_WIDTH = 80;

    /** Every command, with the version and help width each one's --version and --help use. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        versionOnEveryCommand(cli);
        cli.setUsageHelpWidth(USAGE_WIDTH);
        return cli;
    }

    private static int execute(String... args) {
        CommandLine cli = commandLine();
        cli.setExecutionStrategy(parsed -> {
            Main top = cli.getCommand();
            if (CommandLine.printHelpIfRequested(parsed)) {
                return EXIT_OK;
            }
            if (top.profile != null) {
                System.setProperty(RuntimeProfile.PROPERTY, top.profile.toString());
            }
            try {
                BackendBootstrap.prepare(top.backend, top.fallbackCpu, optionValue(parsed, "--engine"), args);
            } catch (RuntimeException e) {
                return report(e, cli.getErr());
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setParameterExceptionHandler((e, arguments) -> {
            PrintWriter err = e.getCommandLine().getErr();
            if (e.getCause() instanceof UserInputException converter) {
                // our converters' messages name the input and the choices (TrainModelIds): picocli's wrapping would only repeat them
                err.println("ae4j: error: " + oneLine(converter.getMessage()));
            } else {
                err.println("ae4j: error: " + Json.firstLine(e.getMessage()) + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName()
                        + " --help')");
            }
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> report(e, commandLine.getErr()));
        return cli.execute(args);
    }

    /** The value of a subcommand's option, however deep, or null. */
    private static String optionValue(CommandLine.ParseResult parsed, String name) {
        for (CommandLine.ParseResult r = parsed; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption(name)) {
                return r.matchedOptionValue(name, null);
            }
        }
        return null;
    }

    static int report(Throwable e, PrintWriter err) {
        if (System.getenv("AE4J_DEBUG") != null) {
            e.printStackTrace(err);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserInputException) {
                err.println("ae4j: error: " + oneLine(t.getMessage()));
                return EXIT_USAGE;
            }
            if (t instanceof BackendBootstrap.GpuUnsupportedException || t instanceof OutOfMemoryException
                    || t instanceof EngineChoice.EngineUnavailableException) {
                err.println("ae4j: error: " + oneLine(t.getMessage()));
                return EXIT_FAILURE;
            }
        }
        err.println("ae4j: failed: " + e.getClass().getSimpleName() + ": " + Json.firstLine(e.getMessage())
                + (System.getenv("AE4J_DEBUG") == null ? " (set AE4J_DEBUG=1 for the stack trace)" : ""));
        return EXIT_FAILURE;
    }

    /** Our own messages may wrap; the rule is one line on stderr. */
    static String oneLine(String message) {
        return String.valueOf(message).strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** {@code ae4j <command> --version} prints what {@code ae4j --version} does. */
    private static void versionOnEveryCommand(CommandLine cli) {
        cli.getCommandSpec().versionProvider(new Version());
        cli.getSubcommands().values().forEach(Main::versionOnEveryCommand);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo b = BuildInfo.current();
            return new String[]{"ae4j " + b.version() + " (" + b.backend() + " build, ND4J " + b.nd4jVersion() + ")"};
        }
    }
}
