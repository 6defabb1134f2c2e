/**
 * Training: {@link ae4j.train.Engine} and {@link ae4j.train.EngineChoice} (which step engine runs), {@link
 * ae4j.train.Model} (Keras's compile, fit, evaluate, predict), the one training loop, the callbacks fit hands
 * its events to (History, progress, NaN stop, checkpoints, early stopping), model files and the ND4J-op step
 * engine.
 * <p>
 * Floor 4: uses {@code nn}, {@code engine}, {@code backend}, {@code spec}, {@code data} and below.
 * <p>
 * Public API (docs/library.md).
 */
package ae4j.train;
