// RnnToolPanel: the Continue and Generate tools of the tools dock, for music_rnn models
// (Melody, Drums and Improv RNN, Toccata's own or Magenta.js checkpoints). Continue extends the
// selected notes, the current track or the loop region; Generate writes new bars at the
// playhead into a new track. Controls: model, variations, length in bars, temperature, seed,
// key/scale lock (melody models), chords (chord-conditioned models). The request runs on the
// GenerationService worker (a new request cancels the running one), a progress bar counts the
// steps, and the variations appear as ghost takes to flip through, hear and accept. Generate
// also offers the MusicVAE models that sample (melody, drums, trio); their jobs come from
// app/VaeGeneration. Continue also offers the piano models (Performance RNN, Music
// Transformer): their settings are PianoControls and their jobs come from app/PianoGeneration;
// they may start from silence on an empty track. [ui]
#pragma once

#include <QPointer>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

#include "app/Document.h"
#include "app/GhostTakes.h"
#include "app/PianoGeneration.h"
#include "app/RnnGeneration.h"
#include "ml/ModelCatalog.h"
#include "ui/tools/ContinueInput.h"
#include "ui/tools/ToolContext.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace toccata::app {
class GenerationService;
class ModelLibrary;
class VaeModelCache;
}  // namespace toccata::app

namespace toccata::ui {

class PianoControls;

class RnnToolPanel : public QWidget {
    Q_OBJECT
public:
    enum class Mode { kContinue, kGenerate };
    using Input = ContinueSource;

    RnnToolPanel(Mode mode, app::Document& document, app::ModelLibrary& models,
                 app::GenerationService& service, app::GhostTakes& ghosts,
                 std::shared_ptr<app::RnnModelCache> cache, QWidget* parent = nullptr);

    void setContextProvider(std::function<ToolContext()> provider) {
        m_context = std::move(provider);
    }
    /// Generate only: offers the music_vae models that sample, loaded through `cache`.
    void setVaeCache(std::shared_ptr<app::VaeModelCache> cache);

    /// Starts a request with the current settings; false (and the reason in the status
    /// line) when there is no model or nothing to continue.
    bool run();
    void cancel();
    bool isRunning() const { return m_requestId != 0; }
    Mode mode() const { return m_mode; }

    // The controls, for tests and keyboard users.
    QComboBox* modelBox() const { return m_model; }
    QComboBox* inputBox() const { return m_input; }  // Continue only (null for Generate)
    QSpinBox* variationsBox() const { return m_variations; }
    QSpinBox* barsBox() const { return m_bars; }
    QDoubleSpinBox* temperatureBox() const { return m_temperature; }
    QSpinBox* seedBox() const { return m_seed; }
    QCheckBox* randomSeedBox() const { return m_randomSeed; }
    QCheckBox* keyLockBox() const { return m_keyLock; }
    QComboBox* keyBox() const { return m_key; }
    QComboBox* scaleBox() const { return m_scale; }
    QLineEdit* chordsEdit() const { return m_chords; }
    QCheckBox* playResultsBox() const { return m_playResults; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* cancelButton() const { return m_cancel; }
    QProgressBar* progressBar() const { return m_progress; }
    PianoControls* pianoControls() const { return m_piano; }  // Continue only
    QString statusText() const;

signals:
    /// Variations are in the ghost layer; `auditionFrom` is where hearing them makes sense.
    void resultsShown(double auditionFrom, bool play);
    void manageModelsRequested();

private:
    void fillModels();
    void updateForModel();
    void setStatus(const QString& text, bool error = false);
    void onFinished(quint64 id, const std::vector<core::NoteSequence>& results);
    void finishRequest();
    bool runVae(const ml::CatalogEntry& entry, const ToolContext& context);
    bool isVae(const ml::CatalogEntry* entry) const;
    /// The job for a piano model continuing from `from` (null and the reason shown when the
    /// request is bad).
    app::GenerationService::Job pianoJob(const ml::CatalogEntry& entry,
                                         const app::PianoTraits& traits,
                                         const core::NoteSequence& primer, double placeAt,
                                         double from);

    Mode m_mode;
    app::Document& m_document;
    app::ModelLibrary& m_models;
    app::GenerationService& m_service;
    app::GhostTakes& m_ghosts;
    std::shared_ptr<app::RnnModelCache> m_cache;
    std::shared_ptr<app::VaeModelCache> m_vaeCache;
    std::shared_ptr<app::PianoModelCache> m_pianoCache;
    std::function<ToolContext()> m_context;

    QComboBox* m_model;
    QComboBox* m_input = nullptr;
    QSpinBox* m_variations;
    QSpinBox* m_bars;
    QDoubleSpinBox* m_temperature;
    QSpinBox* m_seed;
    QCheckBox* m_randomSeed;
    QCheckBox* m_keyLock;
    QComboBox* m_key;
    QComboBox* m_scale;
    QLabel* m_chordsLabel;
    QLineEdit* m_chords;
    PianoControls* m_piano = nullptr;  // Continue only: Performance RNN, Music Transformer
    QCheckBox* m_playResults;
    QPushButton* m_run;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;

    // The running request and where its results go.
    quint64 m_requestId = 0;
    int m_target = -1;
    app::GhostNewTrack m_newTrack;
    std::vector<app::GhostPart> m_parts;  // a trio's melody, bass and drum tracks
    double m_auditionFrom = 0.0;
    QString m_label;
    uint64_t m_seedUsed = 0;
};

}  // namespace toccata::ui
