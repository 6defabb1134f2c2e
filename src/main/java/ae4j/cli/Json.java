package ae4j.cli;

import ae4j.AtomicFile;
import ae4j.UserInputException;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JSON as the commands write and read it: one mapper (records' fields in snake_case, absent values left out),
 * atomic writes, and reading that reports a bad file in one line naming the field.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Json() {
    }

    static void write(Object value, Path file) throws IOException {
        AtomicFile.write(file, tmp -> MAPPER.writeValue(tmp.toFile(), value));
    }

    static String toString(Object value) throws JsonProcessingException {
        return MAPPER.writeValueAsString(value);
    }

    /** Reads {@code file} as a {@code type}; anything else is a one-line usage error calling the file {@code what}. */
    static <T> T read(Path file, Class<T> type, String what) {
        if (Files.isDirectory(file)) {
            throw new UserInputException(file + ": is a folder, not " + what);
        }
        if (!Files.exists(file)) {
            throw new UserInputException(file + ": no such file");
        }
        try {
            T value = MAPPER.readValue(file.toFile(), type);
            if (value == null) {
                throw new UserInputException(file + ": not " + what + " (it holds null)");
            }
            return value;
        } catch (JsonMappingException e) {
            throw new UserInputException(file + ": not " + what + " (" + where(e) + firstLine(e.getOriginalMessage()) + ")");
        } catch (JsonProcessingException e) {
            throw new UserInputException(file + ": not " + what + " (not JSON: " + firstLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read (" + firstLine(e.getMessage()) + ")");
        }
    }

    /** "epochs[2]: " for the field the mapping failed at. */
    private static String where(JsonMappingException e) {
        StringBuilder s = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                s.append(s.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                s.append('[').append(r.getIndex()).append(']');
            }
        }
        return s.isEmpty() ? "" : s + ": ";
    }

    static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
