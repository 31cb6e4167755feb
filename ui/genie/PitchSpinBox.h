// PitchSpinBox: a MIDI pitch chosen by name ("A0" ... "C8"; typing "c4", "F#3" or a number
// works too), for the Piano Genie's key range. [ui]
#pragma once

#include <QSpinBox>

namespace toccata::ui {

class PitchSpinBox : public QSpinBox {
    Q_OBJECT
public:
    explicit PitchSpinBox(QWidget* parent = nullptr);

    /// "C4" for 60 (middle C), sharps for the black keys.
    static QString pitchName(int pitch);
    /// The pitch of a name or number, or -1.
    static int parsePitch(const QString& text);

protected:
    QString textFromValue(int value) const override;
    int valueFromText(const QString& text) const override;
    QValidator::State validate(QString& text, int& pos) const override;
};

}  // namespace toccata::ui
