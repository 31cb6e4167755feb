// PianoControls: the Continue tool's extra settings for piano models (Performance RNN, Music
// Transformer), shown under the common ones only while such a model is chosen: the length
// unit (the panel's bars, or seconds), the note density (notes per second, or off) and the
// 12-weight pitch-class histogram (a key and scale preset, or custom weights on 12 sliders)
// for the models conditioned on them, top-k / top-p for Music Transformers, and Magenta's
// primer options (condition on the primer, inject it) for the Polyphony RNN. Each control
// appears only when the chosen model has it. [ui]
#pragma once

#include <QWidget>

#include <array>

#include "app/PianoGeneration.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QSlider;
class QSpinBox;

namespace toccata::ui {

class PianoControls : public QWidget {
    Q_OBJECT
public:
    explicit PianoControls(QWidget* parent = nullptr);

    /// Shows the rows `traits` has (and hides the whole widget for non-piano models).
    void setTraits(const app::PianoTraits& traits);
    const app::PianoTraits& traits() const { return m_traits; }

    bool lengthInSeconds() const;
    /// The piano settings as a request (model folder, variations, temperature and seed are
    /// the panel's): the length is `bars` bars from `from` in `doc` unless it is in seconds;
    /// density and histogram only where the model has them and they are on.
    app::PianoToolRequest request(const app::Document& doc, double from, int bars) const;

    // The controls, for tests and keyboard users.
    QComboBox* unitBox() const { return m_unit; }
    QDoubleSpinBox* secondsBox() const { return m_seconds; }
    QDoubleSpinBox* densityBox() const { return m_density; }  ///< minimum (0) = off
    QComboBox* histogramKeyBox() const { return m_key; }
    QComboBox* histogramPresetBox() const { return m_preset; }  ///< first = off
    QSlider* histogramSlider(int pitchClass) const { return m_sliders.at(pitchClass); }
    QSpinBox* topKBox() const { return m_topK; }        ///< 0 = off
    QDoubleSpinBox* topPBox() const { return m_topP; }  ///< 1 = off
    QWidget* histogramEditor() const { return m_histogram; }
    QCheckBox* conditionBox() const { return m_condition; }  ///< Polyphony RNN
    QCheckBox* injectBox() const { return m_inject; }        ///< Polyphony RNN

signals:
    /// The length unit changed: the panel's bars box is unused while it is seconds.
    void lengthUnitChanged(bool seconds);

private:
    void applyPreset();
    void updateRows();

    app::PianoTraits m_traits;
    QFormLayout* m_form;
    QComboBox* m_unit;
    QDoubleSpinBox* m_seconds;
    QDoubleSpinBox* m_density;
    QWidget* m_histogram;
    QComboBox* m_key;
    QComboBox* m_preset;
    std::array<QSlider*, 12> m_sliders{};
    QWidget* m_sampling;
    QSpinBox* m_topK;
    QDoubleSpinBox* m_topP;
    QWidget* m_primerOptions;
    QCheckBox* m_condition;
    QCheckBox* m_inject;
    bool m_applyingPreset = false;
};

}  // namespace toccata::ui
