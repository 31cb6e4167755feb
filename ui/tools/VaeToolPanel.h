// VaeToolPanel: the shared frame of the MusicVAE / GrooVAE tools of the tools dock
// (Interpolate, Groove, Drumify): the model list (only the models that serve the tool),
// temperature, seed, "play the results", Run / Cancel, a progress bar and a status line. Each
// tool (a subclass) adds its own controls and builds its request; the job runs on the
// GenerationService worker (a new request cancels the running one) and the results appear as
// ghost takes to flip through, hear, accept as one undoable step, or drag out as MIDI. [ui]
#pragma once

#include <QString>
#include <QWidget>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "app/Document.h"
#include "app/GenerationService.h"
#include "app/GhostTakes.h"
#include "app/VaeGeneration.h"
#include "ml/ModelCatalog.h"
#include "ui/tools/ToolContext.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QVBoxLayout;

namespace toccata::app {
class ModelLibrary;
}

namespace toccata::ui {

class VaeToolPanel : public QWidget {
    Q_OBJECT
public:
    VaeToolPanel(app::Document& document, app::ModelLibrary& models,
                 app::GenerationService& service, app::GhostTakes& ghosts,
                 std::shared_ptr<app::VaeModelCache> cache, QWidget* parent = nullptr);

    void setContextProvider(std::function<ToolContext()> provider) {
        m_context = std::move(provider);
    }

    /// Starts a request with the current settings; false (and the reason in the status
    /// line) when there is no model or the input cannot be used. Nothing changes then.
    bool run();
    void cancel();
    bool isRunning() const { return m_requestId != 0; }

    // The controls, for tests and keyboard users.
    QComboBox* modelBox() const { return m_model; }
    QDoubleSpinBox* temperatureBox() const { return m_temperature; }
    QSpinBox* seedBox() const { return m_seed; }
    QCheckBox* randomSeedBox() const { return m_randomSeed; }
    QCheckBox* playResultsBox() const { return m_playResults; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* cancelButton() const { return m_cancel; }
    QProgressBar* progressBar() const { return m_progress; }
    QString statusText() const;

signals:
    /// Takes are in the ghost layer; `auditionFrom` is where hearing them makes sense.
    void resultsShown(double auditionFrom, bool play);
    void manageModelsRequested();

protected:
    /// A request ready to go to the worker, and where its results land.
    struct Request {
        app::GenerationService::Job job;
        QString busyText;
        int target = -1;  ///< the track the takes belong to (-1: new tracks)
        app::GhostTakeOptions ghosts;
        double auditionFrom = 0.0;
    };

    /// Whether a model of `kind` serves this tool.
    virtual bool offers(app::VaeKind kind) const = 0;
    /// The status line when no model serves the tool (names the kind of model needed).
    virtual QString noModelText() const = 0;
    /// The request from the controls; nullopt after setStatus(…, true) said what is wrong.
    virtual std::optional<Request> prepare(const ml::CatalogEntry& model,
                                           const ToolContext& context, uint64_t seed) = 0;
    /// The model choice changed (e.g. to enable controls that only some models use).
    virtual void modelChanged(const ml::CatalogEntry*) {}

    /// Building the panel: the subclass constructor adds its rows, then calls finishSetUp().
    void setIntro(const QString& text);
    /// "Interpolate", "Groove", "Drumify": the run button and the label of the takes.
    void setToolName(const QString& name);
    void addRow(const QString& label, QWidget* field);
    void addWidget(QWidget* widget);
    void finishSetUp();

    void setStatus(const QString& text, bool error = false);
    app::Document& document() { return m_document; }
    std::shared_ptr<app::VaeModelCache> cache() const { return m_cache; }
    const ml::CatalogEntry* currentModel() const;
    double temperature() const;

private:
    void fillModels();
    void updateForModel();
    void onFinished(quint64 id, const std::vector<core::NoteSequence>& results);
    void finishRequest();

    app::Document& m_document;
    app::ModelLibrary& m_models;
    app::GenerationService& m_service;
    app::GhostTakes& m_ghosts;
    std::shared_ptr<app::VaeModelCache> m_cache;
    std::function<ToolContext()> m_context;

    QLabel* m_intro;
    QFormLayout* m_form;
    QVBoxLayout* m_layout;
    QString m_toolName;
    QComboBox* m_model;
    QDoubleSpinBox* m_temperature;
    QSpinBox* m_seed;
    QCheckBox* m_randomSeed;
    QCheckBox* m_playResults;
    QPushButton* m_run;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;

    quint64 m_requestId = 0;
    Request m_request;  // the running one (its job moved to the worker)
    QString m_label;
    uint64_t m_seedUsed = 0;
};

}  // namespace toccata::ui
