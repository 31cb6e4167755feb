// PianoGeniePanel: play the piano with 8 buttons. The model choice (piano_genie models of the
// library, folders opened with "Open folder…"), temperature, key/scale and key range, soft or
// loud, the MIDI controller mapping, Reset and Record; the 8 rainbow buttons, the recent notes
// floating up over an 88-key keyboard that lights the keys sounding in their button's colour,
// and a status line. While the panel has the keyboard focus, keys 1-8 and A S D F J K L ;
// press buttons 0..7 (auto-repeat ignored) and Space is the sustain pedal: these keys are
// claimed before the window's shortcuts (Space = play, L = loop) see them. Losing the focus
// lets go of everything, so no note hangs. [ui]
#pragma once

#include <QPointer>
#include <QString>
#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;

namespace toccata::app {
class ModelLibrary;
class PianoGenieController;
}  // namespace toccata::app

namespace toccata::ui {

class FallingNotesView;
class GenieButtonsView;
class PianoKeyboardView;
class PitchSpinBox;

class PianoGeniePanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSoftVelocity = 60;
    static constexpr int kLoudVelocity = 100;
    static constexpr const char* kFolderKey = "pianoGenie/folder";

    PianoGeniePanel(app::PianoGenieController& controller, app::ModelLibrary& models,
                    QWidget* parent = nullptr);
    ~PianoGeniePanel() override;

    /// Asks for a model folder ("" = cancelled); the default opens a QFileDialog.
    void setFolderPrompt(std::function<QString()> prompt) { m_folderPrompt = std::move(prompt); }
    /// Loads a model folder and offers it in the model list; false (the status says why) when
    /// it is no Piano Genie model.
    bool openFolder(const QString& folder);
    /// Loads the chosen model if none is loaded yet (the panel does it when first shown).
    void ensureModel();

    /// The button (0..7) of a computer key, or -1.
    static int buttonOfKey(int qtKey);
    int velocity() const;

    // The parts, for tests and keyboard users.
    app::PianoGenieController& controller() { return m_controller; }
    QComboBox* modelBox() const { return m_model; }
    QDoubleSpinBox* temperatureBox() const { return m_temperature; }
    QComboBox* keyBox() const { return m_key; }
    QComboBox* scaleBox() const { return m_scale; }
    PitchSpinBox* lowestBox() const { return m_lowest; }
    PitchSpinBox* highestBox() const { return m_highest; }
    QCheckBox* loudBox() const { return m_loud; }
    QComboBox* midiModeBox() const { return m_midiMode; }
    QPushButton* resetButton() const { return m_reset; }
    QPushButton* recordButton() const { return m_record; }
    GenieButtonsView* buttons() const { return m_buttons; }
    PianoKeyboardView* keyboard() const { return m_keyboard; }
    FallingNotesView* fallingNotes() const { return m_falling; }
    QString statusText() const;

protected:
    bool event(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    QWidget* makeControls();
    void fillModels();
    void onModelChosen(int index);
    void updateAllowedKeys();
    void updateMidiText();
    void setStatus(const QString& text, bool error);
    bool isPlayKey(const QKeyEvent* event) const;

    app::PianoGenieController& m_controller;
    app::ModelLibrary& m_models;
    std::function<QString()> m_folderPrompt;
    QStringList m_opened;  // folders opened by hand, offered after the library's models

    QComboBox* m_model = nullptr;
    QDoubleSpinBox* m_temperature = nullptr;
    QComboBox* m_key = nullptr;
    QComboBox* m_scale = nullptr;
    PitchSpinBox* m_lowest = nullptr;
    PitchSpinBox* m_highest = nullptr;
    QCheckBox* m_loud = nullptr;
    QComboBox* m_midiMode = nullptr;
    QPushButton* m_relearn = nullptr;
    QLabel* m_midiText = nullptr;
    QPushButton* m_reset = nullptr;
    QPushButton* m_record = nullptr;
    GenieButtonsView* m_buttons = nullptr;
    FallingNotesView* m_falling = nullptr;
    PianoKeyboardView* m_keyboard = nullptr;
    QLabel* m_status = nullptr;
    int m_lastModelIndex = -1;
};

}  // namespace toccata::ui
