/*
 * engine.cuh — the CUDA engine: the whole training step of a plan (ae4j_plan.h) on an NVIDIA GPU, with the
 * semantics of the CPU engine (native/cpu/engine.h): gather the batch from a dataset resident on the device in the
 * epoch's order, forward, loss, backward (tied gradients accumulated), optimizer; plus evaluation, prediction and
 * the bare gradient.
 *
 * The hot path: the data go to the GPU once (upload); parameters, gradients, optimizer state, activations, the
 * epoch's order, the step counter and the loss totals live there too. A step is a fixed sequence of launches on one
 * stream. For plans of dense layers only (the linear, stacked and tied autoencoders) it is the fused step of
 * fused.cuh: one launch per layer forward (the first gathers the batch, the last computes the loss), one per layer
 * backward (weight gradient and the gradient below), and the optimizer (folded into the last backward launch when the
 * batch's weight gradients come in one slice, fused::SLICE_ROWS rows or fewer). Other plans take the general step:
 * ae4j_step_begin (which advances the device-side StepState), the gather, per layer a cuBLAS GEMM and the
 * bias/activation kernel, the fused loss, per layer the activation backward, the bias gradient and two GEMMs, and one
 * optimizer kernel. Either way, from the second step of a given shape on the step is a CUDA graph, and steps are
 * launched STEPS_PER_GRAPH at a time as one graph: no host↔device copy, no allocation, no synchronisation. The totals
 * come back only when read. The noise layers key their numbers on the StepState's noise seed and step count, so a
 * replayed step draws the CPU engine's numbers for that step; a batch is one pass here, so the KL regularizer's
 * column sums need no sharing, and evaluation goes by batches of the fit's size when the loss has such terms.
 * Kernels: ../ae4j_kernels.cu (the same source the ND4J-backed path compiles with NVRTC) and fused.cuh; GEMMs of
 * the general step: cuBLAS, loaded at run time (cublas_api.h). Float32 only.
 * Not here: Java (jni.cu), checks of shapes and pointers (the Java side checks them against the plan).
 */
#pragma once
#include <cuda_runtime.h>
#include <math.h>
#include <stdint.h>

#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>

#include "../ae4j_kernels.cu"
#include "ae4j_plan.h"
#include "cublas_api.h"
#include "fused.cuh"

namespace ae4j {
namespace gpu {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline void check(cudaError_t status, const char* what) {
    if (status != cudaSuccess) throw Error(std::string(what) + ": " + cudaGetErrorString(status));
}

constexpr int BLOCK = 256;
/* Column sums (bias gradients, KL means): one block per 32 columns, so its 32 warps split the rows (at batch 256, 8
 * rows a warp instead of 32 with 8 warps: 6.5 µs to about a third on the H200, step_profile). */
constexpr int COLUMN_BLOCK = 1024;
constexpr int MAX_GRID = 65535;

inline int grid(long long work) { return (int) (work < 1 ? 1 : work > MAX_GRID ? MAX_GRID : work); }
inline int elementwise(long long n) { return grid((n + BLOCK - 1) / BLOCK); }

/* The process's GPU: device 0, one stream, one cuBLAS handle with its workspace; made on first use, kept until
 * the process ends. Counts the device allocations ae4j makes. */
class Context {
  public:
    static Context& get() {
        static Context* context = new Context();
        return *context;
    }

    cudaStream_t stream = nullptr;
    cublas::Api blas;
    cublas::Handle handle = nullptr;
    cudaDeviceProp properties{};
    int driver_version = 0, runtime_version = 0, cublas_version = 0;
    long long allocations = 0;

    void* allocate(size_t bytes, const char* what) {
        void* p = nullptr;
        cudaError_t status = cudaMalloc(&p, bytes ? bytes : 1);
        if (status != cudaSuccess) {
            cudaGetLastError();
            size_t free_bytes = 0, total = 0;
            cudaMemGetInfo(&free_bytes, &total);
            throw Error("out of GPU memory allocating " + std::string(what) + ": " + std::to_string(bytes >> 20) +
                        " MiB asked, " + std::to_string(free_bytes >> 20) + " MiB free of " +
                        std::to_string(total >> 20) + " (" + cudaGetErrorString(status) + ")");
        }
        allocations++;
        return p;
    }

    /* y = op(A)·op(B) (+ y when accumulate), row-major: C[M,N], op(A) = A[K,M]ᵀ when ta, op(B) = B[N,K]ᵀ when tb.
     * cuBLAS is column-major, where a row-major matrix reads as its transpose: Cᵀ = op(B)ᵀ·op(A)ᵀ, operands swapped. */
    void gemm(bool ta, bool tb, int M, int N, int K, const float* A, const float* B, float* C, bool accumulate) {
        static const float one = 1.0f, zero = 0.0f;
        cublas::Status status = blas.sgemm(handle, tb ? cublas::OP_T : cublas::OP_N, ta ? cublas::OP_T : cublas::OP_N,
                                           N, M, K, &one, B, tb ? K : N, A, ta ? M : K, accumulate ? &one : &zero, C, N);
        if (status != 0)
            throw Error("cuBLAS sgemm failed with status " + std::to_string(status) + " (" + std::to_string(M) + "×" +
                        std::to_string(N) + "×" + std::to_string(K) + ")");
    }

  private:
    static constexpr size_t WORKSPACE_BYTES = 32u << 20;

    Context() {
        int devices = 0;
        cudaError_t status = cudaGetDeviceCount(&devices);
        if (status != cudaSuccess || devices == 0) {
            cudaGetLastError();
            cudaRuntimeGetVersion(&runtime_version);
            std::string why = status == cudaErrorInsufficientDriver
                                  ? "no NVIDIA driver, or one older than this engine's CUDA " +
                                        std::to_string(runtime_version / 1000) + "." +
                                        std::to_string(runtime_version % 1000 / 10) + " needs; rebuild the engine with the "
                                        "machine's own nvcc"
                              : status != cudaSuccess ? cudaGetErrorString(status)
                                                      : "the driver reports no device";
            throw Error("no usable CUDA GPU (" + why + ")");
        }
        check(cudaSetDevice(0), "cudaSetDevice");
        check(cudaGetDeviceProperties(&properties, 0), "cudaGetDeviceProperties");
        cudaDriverGetVersion(&driver_version);
        cudaRuntimeGetVersion(&runtime_version);
        check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreate");
        std::string problem;
        if (cublas::load(blas, problem)) throw Error(problem);
        if (blas.create(&handle) != 0) throw Error("cublasCreate failed (" + blas.path + ")");
        blas.set_stream(handle, stream);
        blas.set_math_mode(handle, cublas::DEFAULT_MATH);
        blas.get_version(handle, &cublas_version);
        /* A workspace of our own, so that cuBLAS allocates nothing while a step is being captured. */
        void* workspace = allocate(WORKSPACE_BYTES, "the cuBLAS workspace");
        if (blas.set_workspace(handle, workspace, WORKSPACE_BYTES) != 0) throw Error("cublasSetWorkspace failed");
    }
};

/* A dataset (or any matrix) copied to the device once. */
struct DeviceMatrix {
    float* data;
    int rows, cols;
};

class Engine {
  public:
    Engine(const Plan& plan, const float* params, const float* state)
        : plan_(plan), ctx_(Context::get()), fusable_(fusable(plan)) {
        const size_t P = (size_t) plan_.params;
        params_ = (float*) ctx_.allocate(P * sizeof(float), "the parameters");
        grads_ = (float*) ctx_.allocate(P * sizeof(float), "the gradients");
        state_size_ = (size_t) state_slots() * plan_.trainable;
        state_ = (float*) ctx_.allocate(state_size_ * sizeof(float), "the optimizer state");
        step_ = (StepState*) ctx_.allocate(sizeof(StepState), "the step state");
        size_t kl_units = 0;
        for (int l = 0; l < plan_.layers; l++) kl_units += plan_.layer[l].regularizer == REG_KL ? plan_.layer[l].outputs : 0;
        totals_ = (double*) ctx_.allocate((2 * MAX_TOTALS + kl_units) * sizeof(double), "the loss totals");
        double* sums = totals_ + 2 * MAX_TOTALS;
        for (int l = 0; l < plan_.layers; l++) {
            if (plan_.layer[l].regularizer != REG_KL) continue;
            column_sums_[l] = sums;
            sums += plan_.layer[l].outputs;
        }
        eval_totals_ = totals_ + MAX_TOTALS;
        check(cudaMallocHost(&host_totals_, MAX_TOTALS * sizeof(double)), "cudaMallocHost");
        ctx_.allocations++;
        check(cudaMemsetAsync(grads_, 0, P * sizeof(float), ctx_.stream), "cudaMemset");
        copy_from_host(params, state);
        set_iteration(0);
        reset_totals();
        std::lock_guard<std::mutex> hold(registry_mutex());
        registry().insert(this);
    }

    ~Engine() {
        {
            std::lock_guard<std::mutex> hold(registry_mutex());
            registry().erase(this);
        }
        drop_graphs();
        cudaStreamSynchronize(ctx_.stream);
        for (void* p : {(void*) params_, (void*) grads_, (void*) state_, (void*) step_, (void*) totals_, (void*) order_,
                        (void*) arena_, (void*) loss_partials_})
            if (p) cudaFree(p);
        cudaFreeHost(host_totals_);
    }

    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    static DeviceMatrix upload(const float* host, int rows, int cols) {
        Context& ctx = Context::get();
        const size_t bytes = (size_t) rows * cols * sizeof(float);
        float* d = (float*) ctx.allocate(bytes, "the data");
        check(cudaMemcpy(d, host, bytes, cudaMemcpyHostToDevice), "copying the data to the GPU");
        return {d, rows, cols};
    }

    /* Frees data once no step can read them: every engine's waiting steps are launched first. */
    static void release(DeviceMatrix m) {
        {
            std::lock_guard<std::mutex> hold(registry_mutex());
            for (Engine* e : registry()) e->flush();
        }
        cudaStreamSynchronize(Context::get().stream);
        cudaFree(m.data);
    }

    void begin_epoch(const int32_t* order, int n) {
        synchronize(); /* the last steps may still read the previous order */
        if (n > order_capacity_) {
            drop_graphs();
            if (order_) check(cudaFree(order_), "cudaFree");
            order_ = (int32_t*) ctx_.allocate((size_t) n * sizeof(int32_t), "the epoch's order");
            order_capacity_ = n;
        }
        check(cudaMemcpy(order_, order, (size_t) n * sizeof(int32_t), cudaMemcpyHostToDevice), "copying the order");
        check(cudaMemsetAsync(&step_->next, 0, sizeof(int), ctx_.stream), "cudaMemset");
    }

    /* Enqueues a step; with graphs, steps of one shape are launched STEPS_PER_GRAPH at a time (one graph of that
     * many steps), so a step may wait here until its group is full or until any other call (flush). The first step
     * of a shape runs as plain launches (cuBLAS chooses and loads its kernels), the second is captured alone; then
     * steps wait for their group. */
    void train_step(const DeviceMatrix& x, const DeviceMatrix& y, int rows) {
        std::lock_guard<std::recursive_mutex> hold(mutex_);
        ensure_capacity(rows > EVAL_ROWS ? rows : EVAL_ROWS); /* evaluation then never regrows what graphs name */
        ensure_gradient_slices(rows);
        if (!graphs_on_) {
            enqueue_step(x, y, rows);
            return;
        }
        const Key key{x.data, y.data, rows};
        if (pending_ && !(key == pending_key_)) flush(); /* another shape: its waiting steps go first */
        Graphs& g = graphs_[key];
        if (!g.one) {
            if (g.seen++ == 0) {
                enqueue_step(x, y, rows);
                return;
            }
            g.one = capture(x, y, rows, 1);
            check(cudaGraphLaunch(g.one, ctx_.stream), "cudaGraphLaunch");
            return;
        }
        pending_key_ = key;
        if (++pending_ < STEPS_PER_GRAPH) return;
        if (!g.group) g.group = capture(x, y, rows, STEPS_PER_GRAPH);
        check(cudaGraphLaunch(g.group, ctx_.stream), "cudaGraphLaunch");
        pending_ = 0;
    }

    /* Launches the steps waiting for their group, one graph each. Every call but train_step does this first. */
    void flush() {
        std::lock_guard<std::recursive_mutex> hold(mutex_);
        if (!pending_) return;
        const cudaGraphExec_t one = graphs_[pending_key_].one;
        for (; pending_ > 0; pending_--) check(cudaGraphLaunch(one, ctx_.stream), "cudaGraphLaunch");
    }

    void read_totals(double* sums) {
        flush();
        check(cudaMemcpyAsync(host_totals_, totals_, MAX_TOTALS * sizeof(double), cudaMemcpyDeviceToHost, ctx_.stream),
              "copying the totals");
        synchronize();
        for (int i = 0; i < plan_.totals; i++) sums[i] = host_totals_[i];
    }

    void reset_totals() {
        flush();
        check(cudaMemsetAsync(totals_, 0, MAX_TOTALS * sizeof(double), ctx_.stream), "cudaMemset");
    }

    /* With batch terms (a KL regularizer) in batches of `batch` rows, as Keras validates; otherwise in chunks. */
    void evaluate(const DeviceMatrix& x, const DeviceMatrix& y, int batch, double* sums) {
        flush();
        check(cudaMemsetAsync(eval_totals_, 0, MAX_TOTALS * sizeof(double), ctx_.stream), "cudaMemset");
        ensure_capacity(EVAL_ROWS > batch ? EVAL_ROWS : batch);
        const int I = plan_.input_size, D = plan_.output_size();
        const int chunk = plan_.batch_terms ? batch : capacity_;
        for (int r = 0; r < x.rows; r += chunk) {
            const int n = x.rows - r < chunk ? x.rows - r : chunk;
            forward(x.data + (size_t) r * I, n, 0, plan_.layers, PHASE_EVALUATE, r, eval_totals_);
            loss(y.data + (size_t) r * D, n, false, eval_totals_);
        }
        check(cudaGetLastError(), "a kernel launch");
        check(cudaMemcpyAsync(host_totals_, eval_totals_, MAX_TOTALS * sizeof(double), cudaMemcpyDeviceToHost, ctx_.stream),
              "copying the totals");
        synchronize();
        for (int i = 0; i < plan_.totals; i++) sums[i] = host_totals_[i];
    }

    void predict(const DeviceMatrix& x, int from, int to, float* host_out) {
        flush();
        ensure_capacity(EVAL_ROWS);
        const int I = plan_.layer[from].inputs, O = plan_.layer[to - 1].outputs;
        for (int r = 0; r < x.rows; r += capacity_) {
            const int n = x.rows - r < capacity_ ? x.rows - r : capacity_;
            forward(x.data + (size_t) r * I, n, from, to, PHASE_PREDICT, r, nullptr);
            check(cudaMemcpyAsync(host_out + (size_t) r * O, out_[to - 1], (size_t) n * O * sizeof(float),
                                  cudaMemcpyDeviceToHost, ctx_.stream),
                  "copying the predictions");
        }
        synchronize();
    }

    double loss_and_gradients(const DeviceMatrix& x, const DeviceMatrix& y) {
        flush();
        ensure_capacity(x.rows);
        check(cudaMemsetAsync(eval_totals_, 0, MAX_TOTALS * sizeof(double), ctx_.stream), "cudaMemset");
        forward(x.data, x.rows, 0, plan_.layers, PHASE_TRAIN, 0, eval_totals_);
        loss(y.data, x.rows, true, eval_totals_);
        backward(x.data, x.rows);
        synchronize();
        double sums[MAX_TOTALS];
        check(cudaMemcpy(sums, eval_totals_, MAX_TOTALS * sizeof(double), cudaMemcpyDeviceToHost), "copying the totals");
        return sums[0] / x.rows;
    }

    long long iteration() {
        flush();
        StepState s;
        check(cudaMemcpyAsync(&s, step_, sizeof s, cudaMemcpyDeviceToHost, ctx_.stream), "copying the step state");
        synchronize();
        return s.t;
    }

    /* Also rebuilds Nadam's schedule Π μ_1..μ_t, in double as the CPU does. */
    void set_iteration(long long t) {
        synchronize();
        StepState s{};
        s.t = t;
        s.noise_seed = noise_seed_;
        s.nadam_schedule = nadam_schedule(plan_.beta1, t);
        s.lr = lr_;
        check(cudaMemcpy(step_, &s, sizeof s, cudaMemcpyHostToDevice), "copying the step state");
    }

    double learning_rate() const { return lr_; }

    /* Into the StepState, where the steps (captured graphs included) read it: nothing is captured again. The copy is
     * in stream order, after the steps enqueued so far (which keep the old rate) and before the next. */
    void set_learning_rate(double lr) {
        flush();
        lr_ = lr;
        check(cudaMemcpyAsync(&step_->lr, &lr, sizeof lr, cudaMemcpyHostToDevice, ctx_.stream), "copying the learning rate");
    }

    void set_noise_seed(unsigned long long seed) {
        synchronize();
        noise_seed_ = seed;
        check(cudaMemcpy(&step_->noise_seed, &seed, sizeof seed, cudaMemcpyHostToDevice), "copying the noise seed");
    }

    void copy_to_host(float* params, float* grads, float* state) {
        synchronize();
        const size_t P = (size_t) plan_.params;
        check(cudaMemcpy(params, params_, P * sizeof(float), cudaMemcpyDeviceToHost), "copying the parameters");
        check(cudaMemcpy(grads, grads_, P * sizeof(float), cudaMemcpyDeviceToHost), "copying the gradients");
        if (state_size_)
            check(cudaMemcpy(state, state_, state_size_ * sizeof(float), cudaMemcpyDeviceToHost), "copying the state");
    }

    void copy_from_host(const float* params, const float* state) {
        synchronize();
        check(cudaMemcpy(params_, params, (size_t) plan_.params * sizeof(float), cudaMemcpyHostToDevice),
              "copying the parameters");
        if (state_size_)
            check(cudaMemcpy(state_, state, state_size_ * sizeof(float), cudaMemcpyHostToDevice), "copying the state");
    }

    void synchronize() {
        flush();
        check(cudaStreamSynchronize(ctx_.stream), "a training step on the GPU");
    }

    /* Plain stream launches instead of graphs (for timing both). */
    void use_graphs(bool on) {
        flush();
        graphs_on_ = on;
    }

    /* The fused step (fused.cuh) where the plan allows it, or cuBLAS and a launch per operation (for checking and
     * timing one against the other). */
    void use_fused(bool on) {
        synchronize();
        drop_graphs();
        fused_on_ = on;
    }

    /* Whether training steps run fused. */
    bool fused() const { return fusable_ && fused_on_; }

    /* Whether fused.cuh can run the plan's steps: dense layers only, no softmax or regularizer, a loss of
     * elements (MSE, or BCE from the logits), no argmax accuracy, layers no wider than its tiles stage. */
    static bool fusable(const Plan& plan) {
        if (plan.layers < 2 || plan.first_backward >= plan.layers || plan.accuracy_slot >= 0) return false;
        const LayerPlan& last = plan.layer[plan.layers - 1];
        const bool bce = plan.loss == LOSS_BCE && plan.out_act == ACT_SIGMOID && last.act == ACT_IDENTITY;
        if (plan.loss != LOSS_MSE && !bce) return false;
        if (plan.input_size > fused::MAX_WIDTH) return false;
        for (int l = 0; l < plan.layers; l++) {
            const LayerPlan& L = plan.layer[l];
            if (L.kind != LAYER_DENSE || L.regularizer != REG_NONE || L.act == ACT_SOFTMAX ||
                L.outputs > fused::MAX_WIDTH)
                return false;
        }
        return true;
    }



  private:
    static constexpr int EVAL_ROWS = 1024;
    /* Steps per graph launch: a graph launch costs about 4 µs on the H200 (step_profile), a step 40 to 70. */
    static constexpr int STEPS_PER_GRAPH = 8;

    static std::set<Engine*>& registry() {
        static std::set<Engine*>* engines = new std::set<Engine*>();
        return *engines;
    }
    static std::mutex& registry_mutex() {
        static std::mutex* lock = new std::mutex();
        return *lock;
    }

    /* `steps` training steps captured as one graph (not launched). */
    cudaGraphExec_t capture(const DeviceMatrix& x, const DeviceMatrix& y, int rows, int steps) {
        cudaGraph_t graph;
        check(cudaStreamBeginCapture(ctx_.stream, cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
        try {
            for (int i = 0; i < steps; i++) enqueue_step(x, y, rows);
        } catch (...) {
            cudaStreamEndCapture(ctx_.stream, &graph);
            throw;
        }
        check(cudaStreamEndCapture(ctx_.stream, &graph), "cudaStreamEndCapture");
        cudaGraphExec_t exec;
        cudaError_t status = cudaGraphInstantiateWithFlags(&exec, graph, 0);
        cudaGraphDestroy(graph);
        check(status, "cudaGraphInstantiate");
        return exec;
    }

    struct Key {
        const float* x;
        const float* y;
        int rows;
        bool operator<(const Key& o) const { return std::tie(x, y, rows) < std::tie(o.x, o.y, o.rows); }
        bool operator==(const Key& o) const { return x == o.x && y == o.y && rows == o.rows; }
    };

    int state_slots() const {
        if (plan_.optimizer == OPT_SGD) return plan_.momentum != 0 ? 1 : 0;
        return plan_.optimizer == OPT_RMSPROP ? 1 : 2;
    }

    void drop_graphs() {
        flush();
        for (auto& g : graphs_)
            for (cudaGraphExec_t exec : {g.second.one, g.second.group})
                if (exec) cudaGraphExecDestroy(exec);
        graphs_.clear();
    }

    /* Room for the fused step's gradients by slices of a batch of `rows` rows (fused::weight_slices); grown, as
     * ensure_capacity grows the activations, only outside the steps, and only as far as a training batch needs. */
    void ensure_gradient_slices(int rows) {
        const int slices = fused::weight_slices(rows);
        if (!fused() || slices <= grad_slices_) return;
        drop_graphs();
        synchronize();
        const size_t P = (size_t) plan_.params;
        float* grads = (float*) ctx_.allocate(slices * P * sizeof(float), "the gradients");
        check(cudaMemcpy(grads, grads_, P * sizeof(float), cudaMemcpyDeviceToDevice), "copying the gradients");
        check(cudaFree(grads_), "cudaFree");
        grads_ = grads;
        grad_slices_ = slices;
    }

    /* Batch input and target [C, I|D], per layer output and ∂L/∂output [C, O_l], for C rows; grown (and the
     * graphs, which name these buffers, dropped) only outside the steps. */
    void ensure_capacity(int rows) {
        if (rows <= capacity_) return;
        drop_graphs();
        synchronize();
        if (arena_) check(cudaFree(arena_), "cudaFree");
        if (loss_partials_) check(cudaFree(loss_partials_), "cudaFree");
        const size_t total = arena_layout<float>(plan_, (size_t) rows, 64, nullptr, nullptr, nullptr, nullptr, nullptr);
        arena_ = (float*) ctx_.allocate(total * sizeof(float), "the activations");
        if (fusable_) { /* the fused loss's tiles at their most (2 rows each) */
            const size_t tiles = (size_t) fused::product_tiles(rows, plan_.output_size(), fused::Shape{2, 8});
            loss_partials_ = (double*) ctx_.allocate(2 * tiles * sizeof(double), "the loss tiles' sums");
        }
        arena_layout(plan_, (size_t) rows, 64, arena_, &x_, &y_, out_, delta_);
        capacity_ = rows;
    }

    int activation(int l, bool predicting) const {
        return predicting && l == plan_.layers - 1 ? plan_.out_act : plan_.layer[l].act;
    }

    /* Layers [from, to) on rows [first_row, first_row + rows) of a pass in `phase`; the loss terms of their outputs
     * (latent loss, activity regularizers) are added to totals unless it is NULL. A KL-regularized layer leaves its
     * column sums in column_sums_. */
    void forward(const float* in, int rows, int from, int to, int phase, long long first_row, double* totals) {
        cudaStream_t s = ctx_.stream;
        for (int l = from; l < to; l++) {
            const LayerPlan& L = plan_.layer[l];
            float* out = out_[l];
            const long long n = (long long) rows * L.outputs;
            const size_t bytes = (size_t) n * sizeof(float);
            switch (L.kind) {
                case LAYER_DENSE: {
                    const int act = activation(l, phase == PHASE_PREDICT);
                    ctx_.gemm(false, L.transpose_w != 0, rows, L.outputs, L.inputs, in, params_ + L.w, out, false);
                    ae4j_bias_act_forward<<<elementwise(n), BLOCK, 0, s>>>(out, params_ + L.b, rows, L.outputs, act);
                    if (act == ACT_SOFTMAX) ae4j_softmax_rows<<<grid(rows), BLOCK, 0, s>>>(out, rows, L.outputs);
                    break;
                }
                case LAYER_GAUSSIAN_NOISE:
                    if (phase == PHASE_TRAIN)
                        ae4j_gaussian_noise<<<elementwise(n), BLOCK, 0, s>>>(out, in, rows, L.outputs, (float) L.rate, step_,
                                                                              l, phase, first_row);
                    else
                        check(cudaMemcpyAsync(out, in, bytes, cudaMemcpyDeviceToDevice, s), "cudaMemcpy");
                    break;
                case LAYER_DROPOUT:
                    if (phase == PHASE_TRAIN)
                        ae4j_dropout<<<elementwise(n), BLOCK, 0, s>>>(out, in, rows, L.outputs, dropout_threshold(L.rate),
                                                                       (float) (1 / (1 - L.rate)), step_, l, phase, first_row);
                    else
                        check(cudaMemcpyAsync(out, in, bytes, cudaMemcpyDeviceToDevice, s), "cudaMemcpy");
                    break;
                case LAYER_SAMPLING:
                    ae4j_sampling_forward<<<elementwise(n), BLOCK, 0, s>>>(out, in, rows, L.outputs, L.rate, step_, l, phase,
                                                                            first_row, totals);
                    break;
                default: /* activity regularization: the identity */
                    check(cudaMemcpyAsync(out, in, bytes, cudaMemcpyDeviceToDevice, s), "cudaMemcpy");
            }
            if (L.regularizer == REG_L1 && totals)
                ae4j_l1_activity<<<elementwise(n), BLOCK, 0, s>>>(out, nullptr, rows, L.outputs, L.reg_weight, rows, totals);
            if (L.regularizer == REG_KL) {
                ae4j_column_sums<<<grid((L.outputs + 31) / 32), COLUMN_BLOCK, 0, s>>>(column_sums_[l], out, rows, L.outputs);
                if (totals)
                    ae4j_kl_activity<<<1, BLOCK, 0, s>>>(nullptr, rows, L.outputs, column_sums_[l], rows, L.reg_weight,
                                                          L.reg_target, totals);
            }
            in = out;
        }
    }

    void loss(const float* target, int rows, bool gradient, double* totals) {
        const int last = plan_.layers - 1;
        ae4j_loss<<<grid(rows), BLOCK, 0, ctx_.stream>>>(plan_.loss, plan_.out_act, out_[last], target,
                                                         gradient ? delta_[last] : nullptr, rows, plan_.output_size(),
                                                         totals, plan_.rounded_slot, plan_.accuracy_slot);
    }

    /* A training pass's backward over its whole batch of `rows` rows. */
    void backward(const float* input, int rows) {
        cudaStream_t s = ctx_.stream;
        for (int l = plan_.layers - 1; l >= plan_.first_backward; l--) {
            const LayerPlan& L = plan_.layer[l];
            float* dz = delta_[l];
            const float* x = l ? out_[l - 1] : input;
            float* dx = l > plan_.first_backward ? delta_[l - 1] : nullptr;
            const long long n = (long long) rows * L.outputs;
            if (L.regularizer == REG_L1)
                ae4j_l1_activity<<<elementwise(n), BLOCK, 0, s>>>(out_[l], dz, rows, L.outputs, L.reg_weight, rows, nullptr);
            if (L.regularizer == REG_KL)
                ae4j_kl_activity<<<elementwise(n), BLOCK, 0, s>>>(dz, rows, L.outputs, column_sums_[l], rows, L.reg_weight,
                                                                   L.reg_target, nullptr);
            if (L.kind != LAYER_DENSE) {
                if (!dx) continue;
                if (L.kind == LAYER_DROPOUT)
                    ae4j_dropout<<<elementwise(n), BLOCK, 0, s>>>(dx, dz, rows, L.outputs, dropout_threshold(L.rate),
                                                                   (float) (1 / (1 - L.rate)), step_, l, PHASE_TRAIN, 0);
                else if (L.kind == LAYER_SAMPLING)
                    ae4j_sampling_backward<<<elementwise(n), BLOCK, 0, s>>>(dx, dz, x, rows, L.outputs,
                                                                             (float) (L.rate / rows), step_, l, PHASE_TRAIN, 0);
                else /* Gaussian noise and activity regularization pass the gradient through */
                    check(cudaMemcpyAsync(dx, dz, (size_t) n * sizeof(float), cudaMemcpyDeviceToDevice, s), "cudaMemcpy");
                continue;
            }
            if (L.act == ACT_SOFTMAX)
                ae4j_softmax_backward_rows<<<grid(rows), BLOCK, 0, s>>>(dz, out_[l], rows, L.outputs);
            else if (L.act != ACT_IDENTITY)
                ae4j_act_backward<<<elementwise((long long) rows * L.outputs), BLOCK, 0, s>>>(dz, out_[l], rows,
                                                                                               L.outputs, L.act);
            ae4j_bias_grad<<<grid((L.outputs + 31) / 32), COLUMN_BLOCK, 0, s>>>(grads_ + L.b, dz, rows, L.outputs);
            if (L.transpose_w) {
                ctx_.gemm(true, false, L.outputs, L.inputs, rows, dz, x, grads_ + L.w, L.accumulate_w); /* dW[O,I] (+)= dzᵀ·x */
                if (dx) ctx_.gemm(false, false, rows, L.inputs, L.outputs, dz, params_ + L.w, dx, false); /* dx = dz·W */
            } else {
                ctx_.gemm(true, false, L.inputs, L.outputs, rows, x, dz, grads_ + L.w, L.accumulate_w); /* dW[I,O] (+)= xᵀ·dz */
                if (dx) ctx_.gemm(false, true, rows, L.inputs, L.outputs, dz, params_ + L.w, dx, false); /* dx = dz·Wᵀ */
            }
        }
    }

    /* The optimizer's step over the trainable parameters, their gradient in `slices` slices (fused::OptimizerStep). */
    fused::OptimizerStep optimizer_step(int slices) const {
        return {params_, grads_, slices, plan_.params, plan_.trainable, plan_.optimizer, (float) plan_.momentum,
                (float) plan_.beta1, (float) plan_.beta2, (float) plan_.eps, (float) plan_.rho, plan_.nesterov, state_, step_};
    }

    void optimize() {
        if (plan_.trainable) fused::launch_optimize(optimizer_step(1), ctx_.stream);
    }

    /* The fused step (fused.cuh): per layer one forward launch, then per trained layer one backward launch, then
     * the optimizer. The first forward gathers the batch; the second starts the step. */
    void enqueue_fused_step(const DeviceMatrix& x, const DeviceMatrix& y, int rows) {
        cudaStream_t s = ctx_.stream;
        const int sms = ctx_.properties.multiProcessorCount, last = plan_.layers - 1, D = plan_.output_size();
        const bool apart = y.data != x.data;
        int last_tiles = 0;
        for (int l = 0; l <= last; l++) {
            const LayerPlan& L = plan_.layer[l];
            fused::Product p{};
            p.a = l ? out_[l - 1] : x.data;
            p.rows = rows;
            p.k = L.inputs;
            p.n = L.outputs;
            p.m = params_ + L.w;
            p.m_nk = L.transpose_w;
            p.c = out_[l];
            p.act = L.act;
            p.bias = params_ + L.b;
            if (l == 0) {
                p.order = order_;
                p.step = step_;
                p.a_copy = x_;
                p.y = apart ? y.data : nullptr;
                p.y_copy = y_;
                p.y_width = D;
            }
            p.epilogue = l == last ? fused::EPI_LOSS : fused::EPI_ACTIVATE;
            if (l == last) {
                p.delta = delta_[l];
                p.target = apart ? y_ : x_;
                p.loss = plan_.loss;
                p.scale = (float) ((plan_.loss == LOSS_MSE ? 2.0 : 1.0) / ((double) rows * D));
                p.partials = loss_partials_;
            }
            fused::Advance advance{};
            if (l == 1) advance = {step_, rows, plan_.optimizer, plan_.beta1, plan_.beta2, plan_.schedule};
            const fused::Shape shape = fused::choose_shape(rows, p.k, p.n, p.m_nk, sms);
            if (l == last) last_tiles = fused::product_tiles(rows, D, shape);
            fused::launch_forward(p, advance, shape, s);
        }
        /* With the weight gradients in one slice, the first layer trained updates every parameter itself. */
        const fused::OptimizerStep step = optimizer_step(fused::weight_slices(rows));
        const bool folded = plan_.trainable && step.slices == 1 && !plan_.layer[plan_.first_backward].transpose_w;
        for (int l = last; l >= plan_.first_backward; l--) {
            const LayerPlan& L = plan_.layer[l];
            const float* in = l ? out_[l - 1] : x_;
            const bool has_dx = l > plan_.first_backward;
            fused::WeightGradient g{};
            g.rows = rows;
            g.c = grads_ + L.w;
            g.accumulate = L.accumulate_w;
            g.bias = grads_ + L.b;
            g.slice_stride = plan_.params;
            g.first = L.w;
            g.bias_first = L.b;
            if (L.transpose_w) { /* dW[O,I] (+)= dzᵀ·in, db = Σ dz: P's columns */
                g.p = delta_[l], g.m = L.outputs, g.q = in, g.n = L.inputs, g.bias_of_q = 0;
            } else {             /* dW[I,O] (+)= inᵀ·dz, db = Σ dz: Q's columns */
                g.p = in, g.m = L.inputs, g.q = delta_[l], g.n = L.outputs, g.bias_of_q = 1;
            }
            fused::Product dx{};
            if (has_dx) { /* dz_{l−1} = (dz·Wᵀ) ⊙ act'(out_{l−1}); DenseTranspose: dz·W */
                dx.a = delta_[l];
                dx.rows = rows;
                dx.k = L.outputs;
                dx.n = L.inputs;
                dx.m = params_ + L.w;
                dx.m_nk = !L.transpose_w;
                dx.c = delta_[l - 1];
                dx.epilogue = fused::EPI_ACT_GRADIENT;
                dx.act = plan_.layer[l - 1].act;
                dx.activated = out_[l - 1];
            }
            fused::LossTotals totals{};
            if (l == last) totals = {loss_partials_, last_tiles, totals_, plan_.rounded_slot};
            const fused::Shape shape = has_dx ? fused::choose_shape(rows, dx.k, dx.n, dx.m_nk, sms) : fused::Shape{8, 8};
            fused::launch_backward(g, has_dx ? &dx : nullptr, shape, totals, folded && !has_dx ? &step : nullptr, s);
        }
        if (plan_.trainable && !folded) fused::launch_optimize(step, s);
        check(cudaGetLastError(), "a kernel launch");
    }

    /* One step's launches, in stream order; nothing here waits for the device. */
    void enqueue_step(const DeviceMatrix& x, const DeviceMatrix& y, int rows) {
        if (fused()) {
            enqueue_fused_step(x, y, rows);
            return;
        }
        cudaStream_t s = ctx_.stream;
        const int I = plan_.input_size, D = plan_.output_size();
        ae4j_step_begin<<<1, 1, 0, s>>>(step_, rows, plan_.optimizer, plan_.beta1, plan_.beta2, plan_.schedule);
        ae4j_gather_batch<<<grid(rows), BLOCK, 0, s>>>(x_, x.data, order_, step_, rows, I);
        const float* target = x_;
        if (y.data != x.data) {
            ae4j_gather_batch<<<grid(rows), BLOCK, 0, s>>>(y_, y.data, order_, step_, rows, D);
            target = y_;
        }
        forward(x_, rows, 0, plan_.layers, PHASE_TRAIN, 0, totals_);
        loss(target, rows, true, totals_);
        backward(x_, rows);
        optimize();
        check(cudaGetLastError(), "a kernel launch");
    }

    const Plan plan_;
    Context& ctx_;
    const bool fusable_;
    bool fused_on_ = true;
    float *params_ = nullptr, *grads_ = nullptr, *state_ = nullptr;
    size_t state_size_ = 0;
    StepState* step_ = nullptr;
    unsigned long long noise_seed_ = 0;
    double lr_ = plan_.lr; /* the StepState's learning rate, kept here too for set_iteration */
    double *totals_ = nullptr, *eval_totals_ = nullptr, *host_totals_ = nullptr;
    double* column_sums_[MAX_LAYERS] = {nullptr}; /* per KL-regularized layer: its output's column sums, in totals_'s allocation */
    int32_t* order_ = nullptr;
    int order_capacity_ = 0;
    float* arena_ = nullptr;
    double* loss_partials_ = nullptr;
    int grad_slices_ = 1; /* copies of the gradients grads_ has room for (fused::weight_slices) */
    int capacity_ = 0;
    float *x_ = nullptr, *y_ = nullptr;
    float* out_[MAX_LAYERS] = {nullptr};
    float* delta_[MAX_LAYERS] = {nullptr};
    /* A shape's graphs: one step, and STEPS_PER_GRAPH steps; seen: its steps before the first graph. */
    struct Graphs {
        cudaGraphExec_t one = nullptr, group = nullptr;
        int seen = 0;
    };
    std::map<Key, Graphs> graphs_;
    Key pending_key_{};
    int pending_ = 0; /* steps of pending_key_'s shape enqueued but not yet launched */
    std::recursive_mutex mutex_; /* pending_, between train_step and a flush from release */
    bool graphs_on_ = true;
};

}  // namespace gpu
}  // namespace ae4j
