// GroovePanel: the Groove tool. Humanizes the drums of the current track (its selected notes,
// the whole track or its notes in the loop region; any length, the generator works bar group
// by bar group) with a GrooVAE humanize model: the take keeps the model's velocities and
// micro-timing, `amount` blends it with the original (0 = the input unchanged); "Keep my hits"
// (default) plays exactly the written hits, off lets the model drop and add hits. An
// add-instrument model (add hi-hat) keeps the beat and adds its part. Accepting replaces the
// grooved notes in one undoable step. [ui]
#pragma once

#include "ui/tools/VaeToolPanel.h"

class QCheckBox;

namespace toccata::ui {

class GroovePanel : public VaeToolPanel {
    Q_OBJECT
public:
    GroovePanel(app::Document& document, app::ModelLibrary& models, app::GenerationService& service,
                app::GhostTakes& ghosts, std::shared_ptr<app::VaeModelCache> cache,
                QWidget* parent = nullptr);

    QComboBox* inputBox() const { return m_input; }
    QDoubleSpinBox* amountBox() const { return m_amount; }
    QCheckBox* keepHitsBox() const { return m_keepHits; }

protected:
    bool offers(app::VaeKind kind) const override { return kind == app::VaeKind::kHumanize; }
    QString noModelText() const override;
    std::optional<Request> prepare(const ml::CatalogEntry& model, const ToolContext& context,
                                   uint64_t seed) override;

private:
    QComboBox* m_input;
    QDoubleSpinBox* m_amount;
    QCheckBox* m_keepHits;
};

/// The Input choices Groove and Drumify share: selection else the track, the whole track, or
/// the loop region (each of the current track).
void addTrackInputs(QComboBox* box);

}  // namespace toccata::ui
