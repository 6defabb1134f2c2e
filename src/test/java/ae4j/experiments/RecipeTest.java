package ae4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each recipe has one name: the command line's, the model files', and the book's reference runs'. */
class RecipeTest {
    @Test
    void eachIdNamesOneRecipe() {
        for (Recipe r : Recipe.values()) {
            assertEquals(Optional.of(r), Recipe.byId(r.id()));
        }
        assertEquals(Optional.empty(), Recipe.byId("vae"), "the command line's name, not an abbreviation");
        assertEquals(Optional.empty(), Recipe.byId("STACKED"), "the id, not the constant");
    }

    @Test
    void theBookReportsEveryRecipeByItsId() {
        for (Recipe r : Recipe.values()) {
            assertEquals(r == Recipe.GREEDY, BookReference.of(r.id()).isEmpty(), r.id() + " (greedy's are its phases')");
        }
        assertFalse(BookReference.of("phase1").isEmpty());
    }

    @Test
    void theBookSettingsTheCommandLineDefaultsTo() {
        assertEquals(20, Recipe.LINEAR.epochs());
        assertEquals(25, Recipe.VARIATIONAL.epochs());
        assertEquals(10, Recipe.SPARSE_KL.epochs());
        assertEquals(128, Recipe.VARIATIONAL.batchSize().orElseThrow());
        assertTrue(Recipe.STACKED.batchSize().isEmpty(), "Keras's default, from the profile");
        assertEquals(3, Recipe.GREEDY.planned(10, 0).size(), "phase1, phase2 and the stacked model");
        assertEquals("converged", Recipe.LINEAR.planned(20, 0).get(1).file());
    }
}
