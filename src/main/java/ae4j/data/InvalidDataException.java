package ae4j.data;

import ae4j.UserInputException;

/** A dataset file is missing, corrupt, truncated or not what its name says. The message names the file. */
public class InvalidDataException extends UserInputException {
    public InvalidDataException(String source, String problem) {
        super(source + ": " + problem);
    }
}
