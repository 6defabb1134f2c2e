package ae4j.experiments;

/**
 * The book's Keras results (TF 2.0 era, docs/reference.md) that ours are judged against: after the first epoch and after
 * the last one reported. NaN where the book prints no value.
 */
public record BookReference(String run, int epoch, double loss, double roundedAccuracy, double valLoss, double valRoundedAccuracy) {

    public static final BookReference LINEAR_EPOCH_1 = new BookReference(Recipe.LINEAR.id(), 1, 0.2648, Double.NaN, Double.NaN, Double.NaN);
    public static final BookReference LINEAR_EPOCH_20 = new BookReference(Recipe.LINEAR.id(), 20, 0.0055, Double.NaN, Double.NaN, Double.NaN);
    public static final BookReference STACKED_EPOCH_1 = new BookReference(Recipe.STACKED.id(), 1, 0.3386, 0.8866, 0.3118, 0.9128);
    public static final BookReference STACKED_EPOCH_10 = new BookReference(Recipe.STACKED.id(), 10, Double.NaN, Double.NaN, 0.2874, 0.9328);
    public static final BookReference STACKED_EPOCH_20 = new BookReference(Recipe.STACKED.id(), 20, Double.NaN, Double.NaN, 0.2835, 0.9370);
    public static final BookReference TIED_EPOCH_1 = new BookReference(Recipe.TIED.id(), 1, 0.3213, 0.8996, 0.3038, 0.9154);
    public static final BookReference TIED_EPOCH_10 = new BookReference(Recipe.TIED.id(), 10, Double.NaN, Double.NaN, 0.2839, 0.9338);
    public static final BookReference PHASE1_EPOCH_1 = new BookReference("phase1", 1, 0.3446, 0.8874, 0.3122, 0.9147);
    public static final BookReference PHASE1_EPOCH_10 = new BookReference("phase1", 10, Double.NaN, Double.NaN, 0.2781, 0.9462);
    public static final BookReference PHASE2_EPOCH_1 = new BookReference("phase2", 1, 0.5678, Double.NaN, 0.2887, Double.NaN);
    public static final BookReference PHASE2_EPOCH_10 = new BookReference("phase2", 10, Double.NaN, Double.NaN, 0.1687, Double.NaN);
    public static final BookReference FINE_TUNE_EPOCH_1 = new BookReference("fine_tune", 1, 0.2853, 0.9359, 0.2868, 0.9361);
    public static final BookReference FINE_TUNE_EPOCH_10 = new BookReference("fine_tune", 10, Double.NaN, Double.NaN, 0.2857, 0.9371);
    public static final BookReference DENOISING_GAUSSIAN_EPOCH_1 = new BookReference(Recipe.DENOISING_GAUSSIAN.id(), 1, 0.3508, 0.8768, 0.3231,
            0.9065);
    public static final BookReference DENOISING_GAUSSIAN_EPOCH_10 = new BookReference(Recipe.DENOISING_GAUSSIAN.id(), 10, Double.NaN, Double.NaN,
            0.2920, 0.9291);
    /** The notebook's logs of these three print a plain {@code accuracy}: only their losses compare. */
    public static final BookReference DENOISING_DROPOUT_EPOCH_1 = new BookReference(Recipe.DENOISING_DROPOUT.id(), 1, Double.NaN, Double.NaN, 0.3206,
            Double.NaN);
    public static final BookReference DENOISING_DROPOUT_EPOCH_10 = new BookReference(Recipe.DENOISING_DROPOUT.id(), 10, Double.NaN, Double.NaN,
            0.2958, Double.NaN);
    public static final BookReference SIGMOID_CODING_EPOCH_1 = new BookReference(Recipe.SIGMOID_CODING.id(), 1, Double.NaN, Double.NaN, 0.3778,
            Double.NaN);
    public static final BookReference SIGMOID_CODING_EPOCH_10 = new BookReference(Recipe.SIGMOID_CODING.id(), 10, Double.NaN, Double.NaN, 0.3092,
            Double.NaN);
    public static final BookReference SPARSE_L1_EPOCH_1 = new BookReference(Recipe.SPARSE_L1.id(), 1, Double.NaN, Double.NaN, 0.3819, Double.NaN);
    public static final BookReference SPARSE_L1_EPOCH_10 = new BookReference(Recipe.SPARSE_L1.id(), 10, Double.NaN, Double.NaN, 0.3212, Double.NaN);
    public static final BookReference SPARSE_KL_EPOCH_1 = new BookReference(Recipe.SPARSE_KL.id(), 1, 0.4151, 0.8121, 0.3714, 0.8560);
    public static final BookReference SPARSE_KL_EPOCH_10 = new BookReference(Recipe.SPARSE_KL.id(), 10, Double.NaN, Double.NaN, 0.3053, 0.9174);
    public static final BookReference VARIATIONAL_EPOCH_1 = new BookReference(Recipe.VARIATIONAL.id(), 1, 0.3889, 0.8608, 0.3592, 0.8840);
    public static final BookReference VARIATIONAL_EPOCH_25 = new BookReference(Recipe.VARIATIONAL.id(), 25, Double.NaN, Double.NaN, 0.3133, 0.9228);

    /** The book's first and last reported epochs for a run name ("stacked", "phase1", ...), or none. */
    public static java.util.List<BookReference> of(String run) {
        return java.util.List.of(LINEAR_EPOCH_1, LINEAR_EPOCH_20, STACKED_EPOCH_1, STACKED_EPOCH_10, STACKED_EPOCH_20,
                        TIED_EPOCH_1, TIED_EPOCH_10, PHASE1_EPOCH_1, PHASE1_EPOCH_10, PHASE2_EPOCH_1, PHASE2_EPOCH_10,
                        FINE_TUNE_EPOCH_1, FINE_TUNE_EPOCH_10, DENOISING_GAUSSIAN_EPOCH_1, DENOISING_GAUSSIAN_EPOCH_10,
                        DENOISING_DROPOUT_EPOCH_1, DENOISING_DROPOUT_EPOCH_10, SIGMOID_CODING_EPOCH_1, SIGMOID_CODING_EPOCH_10,
                        SPARSE_L1_EPOCH_1, SPARSE_L1_EPOCH_10, SPARSE_KL_EPOCH_1, SPARSE_KL_EPOCH_10, VARIATIONAL_EPOCH_1,
                        VARIATIONAL_EPOCH_25)
                .stream().filter(r -> r.run.equals(run)).toList();
    }
}
