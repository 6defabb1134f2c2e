package ae4j;

/**
 * Something the user gave us is wrong: a flag, a file, a dataset. The message is one line that names the input and
 * the problem; the CLI prints it and exits with code 2, never with a stack trace.
 */
public class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
