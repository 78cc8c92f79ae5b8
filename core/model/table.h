#pragma once
// A dense row-major array of doubles that a user writes into a model
// (explicit encoders, a transform matrix, a data table). A plain value type:
// copyable and comparable, unlike Eigen matrices, whose operator== asserts on
// shape mismatch.
#include <Eigen/Dense>
#include <vector>

namespace core {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;
// Signals in the simulator's precision (double, or float for float32 runs).
template <class T>
using MatrixOf = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using VectorOf = Eigen::Matrix<T, Eigen::Dynamic, 1>;
using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct Table {
    int rows = 0;
    int cols = 0;
    std::vector<double> values;  // rows * cols, row-major

    static Table fromMatrix(const Matrix& m);
    static Table fromRows(const std::vector<std::vector<double>>& rows);
    static Table column(const std::vector<double>& v);
    Matrix toMatrix() const;
    double at(int r, int c) const { return values[static_cast<size_t>(r) * cols + c]; }
    bool empty() const { return values.empty(); }
    bool operator==(const Table&) const = default;
};

inline Table Table::fromMatrix(const Matrix& m) {
    Table t{static_cast<int>(m.rows()), static_cast<int>(m.cols()), {}};
    t.values.resize(m.size());
    Eigen::Map<RowMajorMatrix>(t.values.data(), m.rows(), m.cols()) = m;
    return t;
}

inline Table Table::fromRows(const std::vector<std::vector<double>>& rows) {
    Table t{static_cast<int>(rows.size()), rows.empty() ? 0 : static_cast<int>(rows[0].size()), {}};
    for (const auto& r : rows) t.values.insert(t.values.end(), r.begin(), r.end());
    return t;
}

inline Table Table::column(const std::vector<double>& v) { return Table{static_cast<int>(v.size()), 1, v}; }

inline Matrix Table::toMatrix() const {
    return Eigen::Map<const RowMajorMatrix>(values.data(), rows, cols);
}

}  // namespace core
