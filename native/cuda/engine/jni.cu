/*
 * jni.cu — the Java binding of the CUDA engine (engine.cuh): the native methods of ae4j.engine.CudaNative. Handles
 * are the engine's and the device matrices' addresses; host memory comes as addresses the Java side has checked
 * against the plan. Any failure becomes an IllegalStateException with CUDA's or cuBLAS's own message.
 */
#include <jni.h>

#include "engine.cuh"

using ae4j::gpu::DeviceMatrix;
using ae4j::gpu::Engine;

namespace {

template <typename F>
auto guarded(JNIEnv* env, F f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::exception& e) {
        env->ThrowNew(env->FindClass("java/lang/IllegalStateException"), e.what());
    }
    return decltype(f())();
}

Engine* engine(jlong handle) { return reinterpret_cast<Engine*>(handle); }
DeviceMatrix* matrix(jlong handle) { return reinterpret_cast<DeviceMatrix*>(handle); }

}  // namespace

#define AE4J_JNI(ret, name) extern "C" JNIEXPORT ret JNICALL Java_ae4j_engine_CudaNative_##name

AE4J_JNI(jstring, device)(JNIEnv* env, jclass) {
    return guarded(env, [&]() -> jstring {
        ae4j::gpu::Context& c = ae4j::gpu::Context::get();
        char text[512];
        snprintf(text, sizeof text, "%s|%d.%d|%zu|%d|%d|%d|%s", c.properties.name, c.properties.major, c.properties.minor,
                 c.properties.totalGlobalMem, c.driver_version, c.runtime_version, c.cublas_version, c.blas.path.c_str());
        return env->NewStringUTF(text);
    });
}

AE4J_JNI(jlong, create)(JNIEnv* env, jclass, jlongArray ints, jdoubleArray reals, jlong params, jlong state) {
    return guarded(env, [&]() -> jlong {
        ae4j::Plan plan;
        char error[256];
        jlong* i = env->GetLongArrayElements(ints, nullptr);
        jdouble* r = env->GetDoubleArrayElements(reals, nullptr);
        const char* problem = ae4j::decode_plan(reinterpret_cast<const int64_t*>(i), env->GetArrayLength(ints), r,
                                                env->GetArrayLength(reals), &plan, error, sizeof error);
        env->ReleaseLongArrayElements(ints, i, JNI_ABORT);
        env->ReleaseDoubleArrayElements(reals, r, JNI_ABORT);
        if (problem) throw ae4j::gpu::Error(problem);
        return reinterpret_cast<jlong>(new Engine(plan, reinterpret_cast<const float*>(params),
                                                  reinterpret_cast<const float*>(state)));
    });
}

AE4J_JNI(void, destroy)(JNIEnv* env, jclass, jlong e) {
    guarded(env, [&] { delete engine(e); });
}

AE4J_JNI(jlong, upload)(JNIEnv* env, jclass, jlong host, jint rows, jint cols) {
    return guarded(env, [&]() -> jlong {
        return reinterpret_cast<jlong>(new DeviceMatrix(Engine::upload(reinterpret_cast<const float*>(host), rows, cols)));
    });
}

AE4J_JNI(void, release)(JNIEnv* env, jclass, jlong m) {
    guarded(env, [&] {
        Engine::release(*matrix(m));
        delete matrix(m);
    });
}

AE4J_JNI(void, beginEpoch)(JNIEnv* env, jclass, jlong e, jintArray order) {
    guarded(env, [&] {
        const jsize n = env->GetArrayLength(order);
        jint* o = env->GetIntArrayElements(order, nullptr);
        try {
            engine(e)->begin_epoch(reinterpret_cast<const int32_t*>(o), n);
        } catch (...) {
            env->ReleaseIntArrayElements(order, o, JNI_ABORT);
            throw;
        }
        env->ReleaseIntArrayElements(order, o, JNI_ABORT);
    });
}

AE4J_JNI(void, trainStep)(JNIEnv* env, jclass, jlong e, jlong x, jlong y, jint rows) {
    guarded(env, [&] { engine(e)->train_step(*matrix(x), *matrix(y), rows); });
}

AE4J_JNI(void, readTotals)(JNIEnv* env, jclass, jlong e, jdoubleArray sums) {
    guarded(env, [&] {
        double values[ae4j::MAX_TOTALS];
        engine(e)->read_totals(values);
        env->SetDoubleArrayRegion(sums, 0, env->GetArrayLength(sums) < ae4j::MAX_TOTALS ? env->GetArrayLength(sums)
                                                                                        : ae4j::MAX_TOTALS, values);
    });
}

AE4J_JNI(void, resetTotals)(JNIEnv* env, jclass, jlong e) {
    guarded(env, [&] { engine(e)->reset_totals(); });
}

AE4J_JNI(void, evaluate)(JNIEnv* env, jclass, jlong e, jlong x, jlong y, jint batch, jdoubleArray sums) {
    guarded(env, [&] {
        double values[ae4j::MAX_TOTALS];
        engine(e)->evaluate(*matrix(x), *matrix(y), batch, values);
        env->SetDoubleArrayRegion(sums, 0, env->GetArrayLength(sums) < ae4j::MAX_TOTALS ? env->GetArrayLength(sums)
                                                                                        : ae4j::MAX_TOTALS, values);
    });
}

AE4J_JNI(void, predict)(JNIEnv* env, jclass, jlong e, jlong x, jint from, jint to, jlong out) {
    guarded(env, [&] { engine(e)->predict(*matrix(x), from, to, reinterpret_cast<float*>(out)); });
}

AE4J_JNI(jdouble, lossAndGradients)(JNIEnv* env, jclass, jlong e, jlong x, jlong y) {
    return guarded(env, [&]() -> jdouble { return engine(e)->loss_and_gradients(*matrix(x), *matrix(y)); });
}

AE4J_JNI(jlong, iteration)(JNIEnv* env, jclass, jlong e) {
    return guarded(env, [&]() -> jlong { return engine(e)->iteration(); });
}

AE4J_JNI(void, setIteration)(JNIEnv* env, jclass, jlong e, jlong t) {
    guarded(env, [&] { engine(e)->set_iteration(t); });
}

AE4J_JNI(jdouble, learningRate)(JNIEnv* env, jclass, jlong e) {
    return guarded(env, [&]() -> jdouble { return engine(e)->learning_rate(); });
}

AE4J_JNI(void, setLearningRate)(JNIEnv* env, jclass, jlong e, jdouble lr) {
    guarded(env, [&] { engine(e)->set_learning_rate(lr); });
}

AE4J_JNI(void, setNoiseSeed)(JNIEnv* env, jclass, jlong e, jlong seed) {
    guarded(env, [&] { engine(e)->set_noise_seed((unsigned long long) seed); });
}

AE4J_JNI(void, copyToHost)(JNIEnv* env, jclass, jlong e, jlong params, jlong grads, jlong state) {
    guarded(env, [&] {
        engine(e)->copy_to_host(reinterpret_cast<float*>(params), reinterpret_cast<float*>(grads),
                                reinterpret_cast<float*>(state));
    });
}

AE4J_JNI(void, copyFromHost)(JNIEnv* env, jclass, jlong e, jlong params, jlong state) {
    guarded(env, [&] {
        engine(e)->copy_from_host(reinterpret_cast<const float*>(params), reinterpret_cast<const float*>(state));
    });
}

AE4J_JNI(void, synchronize)(JNIEnv* env, jclass, jlong e) {
    guarded(env, [&] { engine(e)->synchronize(); });
}

AE4J_JNI(void, useGraphs)(JNIEnv* env, jclass, jlong e, jboolean on) {
    guarded(env, [&] { engine(e)->use_graphs(on); });
}

AE4J_JNI(jlong, allocations)(JNIEnv* env, jclass) {
    return guarded(env, [&]() -> jlong { return ae4j::gpu::Context::get().allocations; });
}

AE4J_JNI(jlong, memoryUsed)(JNIEnv* env, jclass) {
    return guarded(env, [&]() -> jlong {
        size_t free_bytes = 0, total = 0;
        ae4j::gpu::check(cudaMemGetInfo(&free_bytes, &total), "cudaMemGetInfo");
        return (jlong) (total - free_bytes);
    });
}
