#include "ui/genie/PitchSpinBox.h"

#include <QRegularExpression>

namespace toccata::ui {

namespace {
const char* const kNames[12] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
}

PitchSpinBox::PitchSpinBox(QWidget* parent) : QSpinBox(parent) { setRange(21, 108); }

QString PitchSpinBox::pitchName(int pitch) {
    if (pitch < 0 || pitch > 127) return QString::number(pitch);
    return QStringLiteral("%1%2").arg(QLatin1String(kNames[pitch % 12])).arg(pitch / 12 - 1);
}

int PitchSpinBox::parsePitch(const QString& text) {
    const QString t = text.trimmed();
    bool isNumber = false;
    const int number = t.toInt(&isNumber);
    if (isNumber) return number >= 0 && number <= 127 ? number : -1;
    static const QRegularExpression re(QStringLiteral("^([A-Ga-g])([#b]?)(-?\\d)$"));
    const QRegularExpressionMatch m = re.match(t);
    if (!m.hasMatch()) return -1;
    static const int kWhite[7] = {9, 11, 0, 2, 4, 5, 7};  // A B C D E F G
    int pc = kWhite[m.captured(1).toUpper().at(0).unicode() - 'A'];
    if (m.captured(2) == "#") ++pc;
    if (m.captured(2) == "b") --pc;
    const int pitch = (m.captured(3).toInt() + 1) * 12 + pc;
    return pitch >= 0 && pitch <= 127 ? pitch : -1;
}

QString PitchSpinBox::textFromValue(int value) const { return pitchName(value); }

int PitchSpinBox::valueFromText(const QString& text) const {
    const int pitch = parsePitch(text);
    return pitch < 0 ? value() : pitch;
}

QValidator::State PitchSpinBox::validate(QString& text, int&) const {
    const int pitch = parsePitch(text);
    if (pitch >= minimum() && pitch <= maximum()) return QValidator::Acceptable;
    return text.size() <= 4 ? QValidator::Intermediate : QValidator::Invalid;
}

}  // namespace toccata::ui
