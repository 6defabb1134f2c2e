/*
 * pool.h — a fixed pool of threads for the CPU engine: run(task) has every thread (the caller is thread 0) run
 * task(k) once and returns when all have; barrier() lets the threads of a task meet halfway through it.
 *
 * Made for tasks of tens of microseconds, thousands of times a second: the threads are created once, and every
 * wait first spins (a pause instruction a round, for about SPIN_ROUNDS rounds: a step's next task or a barrier is
 * usually that close), then parks on a condition variable, so that an idle pool costs no CPU between epochs or
 * after training. Nothing is allocated after construction. Workers are pinned to the CPUs after the caller's where
 * the OS allows (Linux), so that a thread keeps its caches.
 * Not here: what the tasks do (engine.h).
 */
#pragma once
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>
#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ae4j {

class Pool {
  public:
    using Task = void (*)(void* context, int thread);

    explicit Pool(int threads) : n_(threads < 1 ? 1 : threads) {
        for (int k = 1; k < n_; k++) workers_.emplace_back([this, k] { work(k); });
    }

    ~Pool() {
        stop_ = true;
        wake();
        for (std::thread& t : workers_) t.join();
    }

    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    int size() const { return n_; }

    /* task(context, k) on every thread k in [0, size()); the caller runs k = 0. */
    void run(Task task, void* context) {
        if (n_ == 1) {
            task(context, 0);
            return;
        }
        task_ = task;
        context_ = context;
        running_ = n_ - 1;
        started_++;
        wake();
        task(context, 0);
        await([this] { return running_ == 0; });
    }

    /* Called by all threads of a task: none returns before all have arrived. */
    void barrier() {
        if (n_ == 1) return;
        const uint64_t round = barrier_round_;
        if (++arrived_ == n_) {
            arrived_ = 0;
            barrier_round_++;
            wake();
        } else {
            await([this, round] { return barrier_round_ != round; });
        }
    }

  private:
    static constexpr int SPIN_ROUNDS = 20000;

    static void pause() {
#if defined(__x86_64__)
        _mm_pause();
#else
        std::this_thread::yield();
#endif
    }

    template <typename Ready>
    void await(Ready ready) {
        for (int i = 0; i < SPIN_ROUNDS; i++) {
            if (ready()) return;
            pause();
        }
        std::unique_lock<std::mutex> lock(mutex_);
        parked_++;
        wakeup_.wait(lock, ready);
        parked_--;
    }

    /* After a state change: wakes the threads that stopped spinning. Sequentially consistent atomics on both sides
     * guarantee that a thread parking now sees the change when it checks under the mutex. */
    void wake() {
        if (parked_ > 0) {
            std::lock_guard<std::mutex> lock(mutex_);
            wakeup_.notify_all();
        }
    }

    void pin(int k) {
#if defined(__linux__)
        cpu_set_t allowed;
        if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || CPU_COUNT(&allowed) < n_) return;
        int seen = 0;
        for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
            if (!CPU_ISSET(cpu, &allowed) || seen++ != k) continue;
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            pthread_setaffinity_np(pthread_self(), sizeof one, &one);
            return;
        }
#else
        (void) k;
#endif
    }

    void work(int k) {
        pin(k);
        uint64_t seen = 0;
        for (;;) {
            await([this, seen] { return started_ != seen || stop_; });
            if (stop_) return;
            seen = started_;
            task_(context_, k);
            if (--running_ == 0) wake();
        }
    }

    const int n_;
    std::vector<std::thread> workers_;
    Task task_ = nullptr;
    void* context_ = nullptr;
    std::atomic<uint64_t> started_{0};
    std::atomic<int> running_{0};
    std::atomic<int> arrived_{0};
    std::atomic<uint64_t> barrier_round_{0};
    std::atomic<bool> stop_{false};
    std::atomic<int> parked_{0};
    std::mutex mutex_;
    std::condition_variable wakeup_;
};

}  // namespace ae4j
