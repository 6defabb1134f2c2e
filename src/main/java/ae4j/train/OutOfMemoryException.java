package ae4j.train;

/** An allocation the run needs failed; the message names what was being allocated, how much, and for which batch size. */
public final class OutOfMemoryException extends RuntimeException {
    public OutOfMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
