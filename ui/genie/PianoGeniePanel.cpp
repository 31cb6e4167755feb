#include "ui/genie/PianoGeniePanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include "app/ModelLibrary.h"
#include "app/PianoGenieController.h"
#include "ml/generation/KeyScale.h"
#include "ui/genie/FallingNotesView.h"
#include "ui/genie/GenieButtonsView.h"
#include "ui/genie/GenieColors.h"
#include "ui/genie/PianoKeyboardView.h"
#include "ui/genie/PitchSpinBox.h"

namespace toccata::ui {

namespace {

constexpr const char* kOpenFolderItem = "\x01open";
const char* const kTonics[12] = {"C", "C♯", "D", "E♭", "E", "F", "F♯", "G", "A♭", "A", "B♭", "B"};
constexpr ml::Scale kScales[] = {ml::Scale::kMajor,           ml::Scale::kNaturalMinor,
                                 ml::Scale::kHarmonicMinor,   ml::Scale::kDorian,
                                 ml::Scale::kMixolydian,      ml::Scale::kMajorPentatonic,
                                 ml::Scale::kMinorPentatonic, ml::Scale::kBlues};
using Mode = app::PianoGenieMidiMapping::Mode;

QPushButton* flatButton(const QString& text, QWidget* parent) {
    auto* b = new QPushButton(text, parent);
    b->setFocusPolicy(Qt::NoFocus);  // Space and the play keys stay with the panel
    return b;
}

}  // namespace

PianoGeniePanel::PianoGeniePanel(app::PianoGenieController& controller, app::ModelLibrary& models,
                                 QWidget* parent)
    : QWidget(parent), m_controller(controller), m_models(models) {
    setObjectName("PianoGeniePanel");
    setFocusPolicy(Qt::StrongFocus);
    m_folderPrompt = [this] {
        return QFileDialog::getExistingDirectory(this, tr("Open a Piano Genie model folder"),
                                                 QSettings().value(kFolderKey).toString());
    };
    m_buttons = new GenieButtonsView(this);
    QStringList labels;
    const char* home[8] = {"A", "S", "D", "F", "J", "K", "L", ";"};
    for (int b = 0; b < 8; ++b) labels << QStringLiteral("%1 · %2").arg(b + 1).arg(home[b]);
    m_buttons->setLabels(labels);
    m_falling = new FallingNotesView(this);
    m_falling->setClock([this] { return m_controller.now(); });
    m_keyboard = new PianoKeyboardView(this);
    m_status = new QLabel(this);
    m_status->setObjectName("ToolStatus");
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(4);
    layout->addWidget(makeControls());
    layout->addWidget(m_falling, 1);
    layout->addWidget(m_keyboard);
    layout->addWidget(m_buttons);
    layout->addWidget(m_status);

    connect(m_buttons, &GenieButtonsView::pressed, this,
            [this](int b) { m_controller.press(b, velocity()); });
    connect(m_buttons, &GenieButtonsView::released, this,
            [this](int b) { m_controller.release(b); });
    connect(&m_controller, &app::PianoGenieController::noteStarted, this,
            [this](int button, int key, int vel) {
                m_keyboard->setKeyLit(key, genieButtonColour(button));
                m_falling->noteStarted(button, key, vel);
            });
    connect(&m_controller, &app::PianoGenieController::noteEnded, this,
            [this](int button, int key) {
                m_keyboard->clearKey(key);
                m_falling->noteEnded(button, key);
            });
    connect(&m_controller, &app::PianoGenieController::buttonChanged, m_buttons,
            &GenieButtonsView::setDown);
    connect(&m_controller, &app::PianoGenieController::statusChanged, this,
            &PianoGeniePanel::setStatus);
    connect(&m_controller, &app::PianoGenieController::recordingChanged, this, [this](bool on) {
        const QSignalBlocker block(m_record);
        m_record->setChecked(on);
        m_record->setText(on ? tr("■ Stop recording") : tr("● Record"));
    });
    connect(&m_controller, &app::PianoGenieController::midiMappingChanged, this,
            &PianoGeniePanel::updateMidiText);
    connect(&m_controller, &app::PianoGenieController::modelChanged, this,
            [this](const QString& folder) {
                const int index = m_model->findData(folder);
                if (index >= 0 && index != m_model->currentIndex()) {
                    const QSignalBlocker block(m_model);
                    m_model->setCurrentIndex(index);
                }
                m_lastModelIndex = m_model->currentIndex();
            });
    connect(&m_models, &app::ModelLibrary::changed, this, &PianoGeniePanel::fillModels);

    const QString remembered = QSettings().value(kFolderKey).toString();
    if (!remembered.isEmpty() && !m_models.find(remembered) && QFileInfo(remembered).isDir())
        m_opened << remembered;
    fillModels();
    if (const int index = m_model->findData(remembered); index >= 0) {
        const QSignalBlocker block(m_model);
        m_model->setCurrentIndex(index);
    }
    m_lastModelIndex = m_model->currentIndex();
    m_controller.setTemperature(m_temperature->value());
    updateAllowedKeys();
    updateMidiText();
    setStatus(m_controller.statusText(), m_controller.isStatusError());
    if (m_controller.statusText().isEmpty())
        setStatus(m_model->count() > 1 ? tr("Click here, then play with 1–8 or A S D F J K L ;")
                                       : tr("No Piano Genie model yet: open a model folder."),
                  false);
}

PianoGeniePanel::~PianoGeniePanel() = default;

QWidget* PianoGeniePanel::makeControls() {
    auto* box = new QWidget(this);
    auto* rows = new QVBoxLayout(box);
    rows->setContentsMargins(0, 0, 0, 0);
    rows->setSpacing(3);
    auto* top = new QHBoxLayout;
    auto* bottom = new QHBoxLayout;
    rows->addLayout(top);
    rows->addLayout(bottom);

    m_model = new QComboBox(box);
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model->setMinimumContentsLength(14);
    m_model->setToolTip(
        tr("The Piano Genie model (piano_genie models of the library, or a "
           "folder: Toccata, tutorial TF.js export or Magenta.js checkpoint)"));
    m_temperature = new QDoubleSpinBox(box);
    m_temperature->setRange(0.0, 2.0);
    m_temperature->setSingleStep(0.05);
    m_temperature->setDecimals(2);
    m_temperature->setValue(app::PianoGenieController::kDefaultTemperature);
    m_temperature->setToolTip(tr("0 = always the model's most likely key; higher = wilder"));
    m_loud = new QCheckBox(tr("Loud"), box);
    m_loud->setChecked(true);
    m_loud->setFocusPolicy(Qt::NoFocus);
    m_loud->setToolTip(tr("Key presses play at velocity %1 (loud) or %2 (soft); a MIDI "
                          "controller plays at its own velocity")
                           .arg(kLoudVelocity)
                           .arg(kSoftVelocity));
    m_reset = flatButton(tr("Reset"), box);
    m_reset->setToolTip(tr("Forget what was played: the next press starts afresh"));
    m_record = flatButton(tr("● Record"), box);
    m_record->setCheckable(true);
    m_record->setObjectName("GenieRecord");
    m_record->setToolTip(tr("Record what you play; stopping adds it as a new track "
                            "“%1” (one undo step)")
                             .arg(app::PianoGenieController::takeTrackName()));
    top->addWidget(new QLabel(tr("Model"), box));
    top->addWidget(m_model, 2);
    top->addWidget(new QLabel(tr("Temperature"), box));
    top->addWidget(m_temperature);
    top->addWidget(m_loud);
    top->addStretch(1);
    top->addWidget(m_reset);
    top->addWidget(m_record);

    m_key = new QComboBox(box);
    m_key->addItem(tr("Any key"), -1);
    for (int pc = 0; pc < 12; ++pc) m_key->addItem(QString::fromUtf8(kTonics[pc]), pc);
    m_scale = new QComboBox(box);
    for (ml::Scale s : kScales)
        m_scale->addItem(QString::fromLatin1(ml::KeyScale::scaleName(s)), static_cast<int>(s));
    m_scale->setEnabled(false);
    m_lowest = new PitchSpinBox(box);
    m_lowest->setValue(21);
    m_highest = new PitchSpinBox(box);
    m_highest->setValue(108);
    for (PitchSpinBox* b : {m_lowest, m_highest})
        b->setToolTip(tr("The keys the genie may play: from the lowest to the highest"));
    m_midiMode = new QComboBox(box);
    m_midiMode->addItem(tr("off"), static_cast<int>(Mode::kOff));
    m_midiMode->addItem(tr("C4–C5 white keys"), static_cast<int>(Mode::kWhiteKeys));
    m_midiMode->addItem(tr("learn 8 notes, low to high"), static_cast<int>(Mode::kLearnPitchOrder));
    m_midiMode->addItem(tr("learn 8 notes, in order played"),
                        static_cast<int>(Mode::kLearnPressOrder));
    m_midiMode->setToolTip(
        tr("Which notes of a MIDI controller act as the 8 buttons while "
           "this panel is open (other notes play as usual)"));
    m_relearn = flatButton(tr("Learn again"), box);
    m_midiText = new QLabel(box);
    bottom->addWidget(new QLabel(tr("Key"), box));
    bottom->addWidget(m_key);
    bottom->addWidget(m_scale);
    bottom->addWidget(new QLabel(tr("Range"), box));
    bottom->addWidget(m_lowest);
    bottom->addWidget(new QLabel(QStringLiteral("–"), box));
    bottom->addWidget(m_highest);
    bottom->addSpacing(12);
    bottom->addWidget(new QLabel(tr("MIDI buttons"), box));
    bottom->addWidget(m_midiMode);
    bottom->addWidget(m_relearn);
    bottom->addWidget(m_midiText, 1);

    connect(m_model, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        if (m_model->itemData(index).toString() == kOpenFolderItem) onModelChosen(index);
    });
    connect(m_model, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        if (m_model->itemData(index).toString() != kOpenFolderItem) onModelChosen(index);
    });
    connect(m_temperature, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            [this](double t) { m_controller.setTemperature(t); });
    connect(m_key, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        m_scale->setEnabled(m_key->currentData().toInt() >= 0);
        updateAllowedKeys();
    });
    connect(m_scale, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &PianoGeniePanel::updateAllowedKeys);
    connect(m_lowest, qOverload<int>(&QSpinBox::valueChanged), this,
            &PianoGeniePanel::updateAllowedKeys);
    connect(m_highest, qOverload<int>(&QSpinBox::valueChanged), this,
            &PianoGeniePanel::updateAllowedKeys);
    connect(m_reset, &QPushButton::clicked, this, [this] {
        m_controller.reset();
        m_falling->clear();
        setFocus(Qt::OtherFocusReason);
    });
    connect(m_record, &QPushButton::toggled, this, [this](bool on) {
        m_controller.setRecording(on);
        setFocus(Qt::OtherFocusReason);
    });
    connect(m_midiMode, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        m_controller.setMidiMode(static_cast<Mode>(m_midiMode->currentData().toInt()));
    });
    connect(m_relearn, &QPushButton::clicked, this, [this] { m_controller.relearnMidi(); });
    // After a choice in a list, the keys play again.
    for (QComboBox* c : {m_model, m_key, m_scale, m_midiMode})
        connect(c, qOverload<int>(&QComboBox::activated), this,
                [this] { setFocus(Qt::OtherFocusReason); });
    return box;
}

// ---- Models -----------------------------------------------------------------------------------

void PianoGeniePanel::fillModels() {
    const QString previous = m_model->currentData().toString();
    const QSignalBlocker block(m_model);
    m_model->clear();
    for (const ml::CatalogEntry& e : m_models.usable("piano_genie")) {
        m_model->addItem(QString::fromStdString(e.spec.id), QString::fromStdString(e.folder));
        m_model->setItemData(m_model->count() - 1, QString::fromStdString(e.folder),
                             Qt::ToolTipRole);
    }
    for (const QString& folder : m_opened) {
        if (m_model->findData(folder) >= 0) continue;
        m_model->addItem(QFileInfo(folder).fileName(), folder);
        m_model->setItemData(m_model->count() - 1, QDir::toNativeSeparators(folder),
                             Qt::ToolTipRole);
    }
    m_model->addItem(tr("Open folder…"), QString::fromLatin1(kOpenFolderItem));
    int index = m_model->findData(previous);
    if (index < 0 || previous == kOpenFolderItem)
        index = m_model->findData(m_controller.modelFolder());
    m_model->setCurrentIndex(index >= 0 ? index : 0);
    m_lastModelIndex = m_model->currentIndex();
}

void PianoGeniePanel::onModelChosen(int index) {
    const QString folder = m_model->itemData(index).toString();
    if (folder == kOpenFolderItem) {
        // Back to the model in use unless a folder is chosen and loads.
        {
            const QSignalBlocker block(m_model);
            m_model->setCurrentIndex(
                m_lastModelIndex >= 0 && m_lastModelIndex != index ? m_lastModelIndex : 0);
        }
        const QString chosen = m_folderPrompt ? m_folderPrompt() : QString();
        if (!chosen.isEmpty()) openFolder(chosen);
        return;
    }
    if (folder.isEmpty() || folder == m_controller.modelFolder()) return;
    if (m_controller.loadModel(folder)) {
        QSettings().setValue(kFolderKey, folder);
        m_lastModelIndex = index;
    }
}

bool PianoGeniePanel::openFolder(const QString& folder) {
    const QString clean = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    if (!m_controller.loadModel(clean)) return false;
    if (!m_opened.contains(clean) && !m_models.find(clean)) m_opened << clean;
    QSettings().setValue(kFolderKey, clean);
    fillModels();
    {
        const QSignalBlocker block(m_model);
        m_model->setCurrentIndex(m_model->findData(m_controller.modelFolder()));
    }
    m_lastModelIndex = m_model->currentIndex();
    return true;
}

void PianoGeniePanel::ensureModel() {
    if (m_controller.hasModel()) return;
    const QString folder = m_model->currentData().toString();
    if (folder.isEmpty() || folder == kOpenFolderItem) return;
    m_controller.loadModel(folder);
}

// ---- Sampling controls ------------------------------------------------------------------------

void PianoGeniePanel::updateAllowedKeys() {
    std::optional<ml::KeyScale> scale;
    if (const int tonic = m_key->currentData().toInt(); tonic >= 0)
        scale = ml::KeyScale{tonic, static_cast<ml::Scale>(m_scale->currentData().toInt())};
    m_controller.setAllowedKeys(
        app::PianoGenieController::keysFor(scale, m_lowest->value(), m_highest->value()));
}

void PianoGeniePanel::updateMidiText() {
    const app::PianoGenieMidiMapping& mapping = m_controller.midiMapping();
    m_relearn->setVisible(mapping.mode() == Mode::kLearnPitchOrder ||
                          mapping.mode() == Mode::kLearnPressOrder);
    if (!mapping.isOn()) {
        m_midiText->clear();
    } else if (mapping.isLearning()) {
        m_midiText->setText(
            tr("play 8 different notes on the controller: %1 of 8").arg(mapping.learnedCount()));
    } else {
        QStringList names;
        for (int pitch : mapping.pitches()) names << PitchSpinBox::pitchName(pitch);
        m_midiText->setText(names.join(' '));
    }
}

int PianoGeniePanel::velocity() const {
    return m_loud->isChecked() ? kLoudVelocity : kSoftVelocity;
}

QString PianoGeniePanel::statusText() const { return m_status->text(); }

void PianoGeniePanel::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

// ---- Keys -------------------------------------------------------------------------------------

int PianoGeniePanel::buttonOfKey(int qtKey) {
    static constexpr int kDigits[8] = {Qt::Key_1, Qt::Key_2, Qt::Key_3, Qt::Key_4,
                                       Qt::Key_5, Qt::Key_6, Qt::Key_7, Qt::Key_8};
    static constexpr int kHomeRow[8] = {Qt::Key_A, Qt::Key_S, Qt::Key_D, Qt::Key_F,
                                        Qt::Key_J, Qt::Key_K, Qt::Key_L, Qt::Key_Semicolon};
    for (int b = 0; b < 8; ++b)
        if (qtKey == kDigits[b] || qtKey == kHomeRow[b]) return b;
    return -1;
}

bool PianoGeniePanel::isPlayKey(const QKeyEvent* event) const {
    const Qt::KeyboardModifiers mods = event->modifiers() & ~Qt::KeypadModifier;
    if (mods != Qt::NoModifier && mods != Qt::ShiftModifier) return false;
    return event->key() == Qt::Key_Space || buttonOfKey(event->key()) >= 0;
}

bool PianoGeniePanel::event(QEvent* event) {
    // The play keys are the panel's while the focus is in it (not the window's Space / L).
    // A focused spin box still gets its digits and letters: the key press goes to it first.
    if (event->type() == QEvent::ShortcutOverride && isPlayKey(static_cast<QKeyEvent*>(event))) {
        event->accept();
        return true;
    }
    return QWidget::event(event);
}

void PianoGeniePanel::keyPressEvent(QKeyEvent* event) {
    if (!isPlayKey(event)) return QWidget::keyPressEvent(event);
    event->accept();
    if (event->isAutoRepeat()) return;
    if (event->key() == Qt::Key_Space) {
        m_controller.setSustain(true);
        return;
    }
    ensureModel();
    m_controller.press(buttonOfKey(event->key()), velocity());
}

void PianoGeniePanel::keyReleaseEvent(QKeyEvent* event) {
    if (!isPlayKey(event)) return QWidget::keyReleaseEvent(event);
    event->accept();
    if (event->isAutoRepeat()) return;
    if (event->key() == Qt::Key_Space)
        m_controller.setSustain(false);
    else
        m_controller.release(buttonOfKey(event->key()));
}

void PianoGeniePanel::focusOutEvent(QFocusEvent* event) {
    QWidget::focusOutEvent(event);
    // The key releases will go elsewhere: nothing may hang.
    if (event->reason() != Qt::PopupFocusReason) m_controller.releaseAll();
}

void PianoGeniePanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    ensureModel();
    m_controller.setMidiRoutingActive(true);
}

void PianoGeniePanel::hideEvent(QHideEvent* event) {
    QWidget::hideEvent(event);
    m_controller.setMidiRoutingActive(false);
}

}  // namespace toccata::ui
