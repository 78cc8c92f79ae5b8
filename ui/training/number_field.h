#pragma once
// A spin box for numbers that span decades (learning rates of 1e-5, epsilons
// of 1e-8): shows them in %g form and keeps every digit typed.
#include <QDoubleSpinBox>
#include <QLocale>
#include <QRegularExpression>

#include <limits>

namespace ui {

class NumberField : public QDoubleSpinBox {
public:
    explicit NumberField(double minimum = 0.0, double maximum = std::numeric_limits<double>::max(),
                         QWidget* parent = nullptr)
        : QDoubleSpinBox(parent) {
        setDecimals(std::numeric_limits<double>::max_digits10);
        setRange(minimum, maximum);
        setKeyboardTracking(false);  // one edit per committed value, not per keystroke
    }

    QString textFromValue(double value) const override { return QLocale::c().toString(value, 'g', 8); }
    double valueFromText(const QString& text) const override { return QLocale::c().toDouble(text.trimmed()); }
    QValidator::State validate(QString& text, int&) const override {
        bool ok = false;
        const double v = QLocale::c().toDouble(text.trimmed(), &ok);
        if (ok) return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
        // Half-typed numbers such as "1e-" or "-" are still on their way.
        return text.contains(QRegularExpression("^[\\s\\d.eE+-]*$")) ? QValidator::Intermediate : QValidator::Invalid;
    }
};

}  // namespace ui
