#include "sim/node_function.h"

#include "common/error.h"
#include "common/expression.h"
#include "model/distribution.h"

#include <cmath>
#include <functional>

namespace core {

namespace {

class Broadcast : public NodeFunction {
public:
    Broadcast(int size, std::function<double(double)> f) : size_(size), f_(std::move(f)) {}
    void evaluate(double t, double* out) override {
        const double v = f_(t);
        for (int i = 0; i < size_; ++i) out[i] = v;
    }

private:
    int size_;
    std::function<double(double)> f_;
};

class Constant : public NodeFunction {
public:
    explicit Constant(std::vector<double> v) : v_(std::move(v)) {}
    void evaluate(double, double* out) override { std::copy(v_.begin(), v_.end(), out); }

private:
    std::vector<double> v_;
};

class PiecewiseFunction : public NodeFunction {
public:
    explicit PiecewiseFunction(Piecewise p) : p_(std::move(p)) {}
    void evaluate(double t, double* out) override {
        int row = -1;
        while (row + 1 < static_cast<int>(p_.times.size()) && p_.times[row + 1] <= t) ++row;
        for (int j = 0; j < p_.values.cols; ++j) out[j] = row < 0 ? 0.0 : p_.values.at(row, j);
    }

private:
    Piecewise p_;
};

// A periodic band-limited signal (see whiteNoiseComponents).
class WhiteNoiseFunction : public NodeFunction {
public:
    WhiteNoiseFunction(const WhiteNoise& w, int size) : period_(w.period), components_(whiteNoiseComponents(w, size)) {}
    void evaluate(double t, double* out) override {
        const double w = 2.0 * M_PI * t / period_;
        for (size_t d = 0; d < components_.size(); ++d) {
            double v = 0.0;
            for (const auto& c : components_[d]) v += c.cosine * std::cos(c.harmonic * w) + c.sine * std::sin(c.harmonic * w);
            out[d] = v;
        }
    }

private:
    double period_;
    std::vector<std::vector<WhiteNoiseComponent>> components_;
};

class Expression : public NodeFunction {
public:
    explicit Expression(const std::vector<std::string>& e) : f_(e, {"t"}) {}
    void evaluate(double t, double* out) override { f_.evaluate(&t, out); }

private:
    ExpressionVector f_;
};

class Data : public NodeFunction {
public:
    Data(DataOutput d, double dt) : d_(std::move(d)), dt_(dt) {}
    void evaluate(double t, double* out) override {
        // One row per step: row k-1 during step k, computed from t = k dt
        // with rounding so that float error in t cannot skip a row.
        const double step = d_.presentationTime > 0.0 ? (t - dt_) / d_.presentationTime + 1e-7 : std::round(t / dt_) - 1.0;
        const long row = static_cast<long>(std::floor(step)) % d_.rows.rows;
        for (int j = 0; j < d_.rows.cols; ++j) out[j] = d_.rows.at(static_cast<int>(row < 0 ? row + d_.rows.rows : row), j);
    }

private:
    DataOutput d_;
    double dt_;
};

}  // namespace

// Multiples of 1/period up to `high`, random amplitudes and phases, scaled to the RMS.
std::vector<std::vector<WhiteNoiseComponent>> whiteNoiseComponents(const WhiteNoise& noise, int sizeOut) {
    const int nFrequencies = std::max(1, static_cast<int>(std::floor(noise.high * noise.period)));
    std::vector<std::vector<WhiteNoiseComponent>> components(sizeOut);
    for (int d = 0; d < sizeOut; ++d) {
        Rng rng(Rng::mix(noise.seed, static_cast<uint64_t>(d)));
        auto& comps = components[d];
        double power = 0.0;
        for (int k = 1; k <= nFrequencies; ++k) {
            const double a = rng.normal(), b = rng.normal();
            comps.push_back({static_cast<double>(k), a, b});
            power += 0.5 * (a * a + b * b);
        }
        const double scale = power > 0.0 ? noise.rms / std::sqrt(power) : 0.0;
        for (auto& c : comps) c.cosine *= scale, c.sine *= scale;
    }
    return components;
}

std::unique_ptr<NodeFunction> makeNodeFunction(const NodeOutput& output, int sizeOut, double dt) {
    return std::visit(
        [&](const auto& o) -> std::unique_ptr<NodeFunction> {
            using O = std::decay_t<decltype(o)>;
            if constexpr (std::is_same_v<O, ConstantOutput>) {
                return std::make_unique<Constant>(o.value);
            } else if constexpr (std::is_same_v<O, SineWave>) {
                return std::make_unique<Broadcast>(
                    sizeOut, [o](double t) { return o.offset + o.amplitude * std::sin(2.0 * M_PI * o.frequency * t + o.phase); });
            } else if constexpr (std::is_same_v<O, SquareWave>) {
                return std::make_unique<Broadcast>(sizeOut, [o](double t) {
                    const double s = std::sin(2.0 * M_PI * o.frequency * t + o.phase);
                    return o.offset + (s >= 0.0 ? o.amplitude : -o.amplitude);
                });
            } else if constexpr (std::is_same_v<O, StepFunction>) {
                return std::make_unique<Broadcast>(sizeOut, [o](double t) { return t < o.time ? o.before : o.after; });
            } else if constexpr (std::is_same_v<O, Piecewise>) {
                return std::make_unique<PiecewiseFunction>(o);
            } else if constexpr (std::is_same_v<O, WhiteNoise>) {
                return std::make_unique<WhiteNoiseFunction>(o, sizeOut);
            } else if constexpr (std::is_same_v<O, ExpressionOutput>) {
                return std::make_unique<Expression>(o.expressions);
            } else if constexpr (std::is_same_v<O, DataOutput>) {
                return std::make_unique<Data>(o, dt);
            } else {
                return nullptr;  // passthrough: the simulator sums the inputs
            }
        },
        output);
}

}  // namespace core
