package ae4j.cli;

import ae4j.UserInputException;

/** Range checks of numeric flags, each a one-line usage error (exit code 2). */
final class Flags {
    private Flags() {
    }

    static int positive(String flag, int value) {
        return atLeast(flag, value, 1);
    }

    static int atLeast(String flag, int value, int minimum) {
        if (value < minimum) {
            throw new UserInputException(flag + " must be at least " + minimum + ", not " + value);
        }
        return value;
    }

    static int between(String flag, int value, int minimum, int maximum) {
        if (value < minimum || value > maximum) {
            throw new UserInputException(flag + " must be between " + minimum + " and " + maximum + ", not " + value);
        }
        return value;
    }

    /** A positive, finite number: NaN and infinity are refused too. */
    static double positive(String flag, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new UserInputException(flag + " must be a positive number, not " + value);
        }
        return value;
    }
}
