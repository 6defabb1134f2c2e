package ae4j.experiments;

import ae4j.UserInputException;
import ae4j.nn.Sequential;
import ae4j.train.ModelFile;
import java.util.List;

/** An encoder and a decoder; the autoencoder is the two in sequence, as in the book's Keras code. */
public record Autoencoder(Sequential encoder, Sequential decoder) {
    public Sequential network() {
        return Sequential.of(encoder, decoder);
    }

    /**
     * The encoder and decoder of a loaded model: its first {@code encoder_parts} parts (saved by every recipe), or,
     * where the file does not say, the two parts of a network built as {@code Sequential.of(encoder, decoder)}.
     */
    public static Autoencoder of(ModelFile.Loaded loaded) {
        List<Object> parts = loaded.model().network().parts();
        Integer k = loaded.meta().encoderParts() != null ? loaded.meta().encoderParts() : parts.size() == 2 ? Integer.valueOf(1) : null;
        if (k == null || parts.size() < 2) {
            throw new UserInputException("the model file does not say which layers form the encoder (not saved by ae4j train?)");
        }
        return new Autoencoder(Sequential.of(parts.subList(0, k).toArray()), Sequential.of(parts.subList(k, parts.size()).toArray()));
    }
}
