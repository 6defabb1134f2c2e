package ae4j.experiments;

import ae4j.UserInputException;
import ae4j.spec.LearningRateSchedule;
import ae4j.spec.Optimizer;
import ae4j.train.ReduceLROnPlateau;
import java.util.Locale;

/**
 * What {@code --lr-schedule} asks for: Keras's ReduceLROnPlateau on val_loss, which lowers the learning rate between
 * epochs ({@code plateau[:FACTOR[:PATIENCE[:MIN_LR]]]}, Keras's defaults 0.1, 10 and 0, with its min_delta 1e-4 and
 * cooldown 0), or Keras's ExponentialDecay, which lowers it step by step inside the optimizer
 * ({@code exponential:FACTOR:STEPS[:staircase]}: decay_rate FACTOR, decay_steps STEPS). Keras cannot combine the two, and neither does the
 * option. A run's settings record it in the form {@link #toString()} writes, which {@link #parse} reads back, so that
 * a resumed run compares the schedules themselves, not how they were typed.
 */
public sealed interface LrScheduleOption permits LrScheduleOption.Plateau, LrScheduleOption.Exponential {
    String SYNTAX = "plateau[:FACTOR[:PATIENCE[:MIN_LR]]] or exponential:FACTOR:STEPS[:staircase]";

    /** The optimizer as the schedule has it: its rate decaying step by step, or as it is (plateau lowers it from outside). */
    Optimizer applyTo(Optimizer optimizer);

    /** Keras's ReduceLROnPlateau(monitor='val_loss', factor, patience, min_delta=1e-4, cooldown=0, min_lr). */
    record Plateau(double factor, int patience, double minLr) implements LrScheduleOption {
        static final double MIN_DELTA = 1e-4;

        public ReduceLROnPlateau callback() {
            return new ReduceLROnPlateau("val_loss", factor, patience, MIN_DELTA, 0, minLr);
        }

        @Override
        public Optimizer applyTo(Optimizer optimizer) {
            return optimizer;
        }

        @Override
        public String toString() {
            return "plateau:" + factor + ":" + patience + ":" + minLr;
        }
    }

    record Exponential(LearningRateSchedule.ExponentialDecay decay) implements LrScheduleOption {
        @Override
        public Optimizer applyTo(Optimizer optimizer) {
            return optimizer.withSchedule(decay);
        }

        @Override
        public String toString() {
            return "exponential:" + decay.decayRate() + ":" + decay.decaySteps() + (decay.staircase() ? ":staircase" : "");
        }
    }

    /** The schedule {@code s} names; a {@link UserInputException} saying what is wrong otherwise. */
    static LrScheduleOption parse(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split(":", -1);
        if (p[0].equals("plateau") && p.length <= 4) {
            double factor = p.length > 1 ? number(s, p[1]) : 0.1;
            int patience = p.length > 2 ? whole(s, p[2]) : 10;
            double minLr = p.length > 3 ? number(s, p[3]) : 0;
            if (!(factor > 0 && factor < 1)) {
                throw new UserInputException("--lr-schedule " + s + ": the factor must be in (0, 1), as the new rate is lr·factor");
            }
            if (patience < 0) {
                throw new UserInputException("--lr-schedule " + s + ": the patience must be at least 0");
            }
            if (!(minLr >= 0) || Double.isInfinite(minLr)) {
                throw new UserInputException("--lr-schedule " + s + ": the minimum rate must be finite and at least 0");
            }
            return new Plateau(factor, patience, minLr);
        }
        if (p[0].equals("exponential") && (p.length == 3 || p.length == 4 && p[3].equals("staircase"))) {
            double rate = number(s, p[1]);
            int steps = whole(s, p[2]);
            if (!(rate > 0 && rate <= 1)) {
                throw new UserInputException("--lr-schedule " + s + ": the factor must be in (0, 1]");
            }
            if (steps < 1) {
                throw new UserInputException("--lr-schedule " + s + ": the steps must be at least 1");
            }
            return new Exponential(new LearningRateSchedule.ExponentialDecay(rate, steps, p.length == 4));
        }
        throw new UserInputException("--lr-schedule must be " + SYNTAX + ", not '" + s + "'");
    }

    private static double number(String whole, String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new UserInputException("--lr-schedule " + whole + ": '" + s + "' is not a number");
        }
    }

    private static int whole(String whole, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new UserInputException("--lr-schedule " + whole + ": '" + s + "' is not a whole number");
        }
    }
}
