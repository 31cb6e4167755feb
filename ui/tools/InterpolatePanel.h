// InterpolatePanel: the Interpolate tool. Two clips (A and B: tracks, their selected notes or
// loop region, or MIDI files chosen or dropped) morph into each other through a MusicVAE
// model's latent space: 1-16 results including both ends (as Magenta.js), a straight or a
// spherical path, laid out as separate takes to flip through or as one clip. Results land at
// the playhead (or after the song) in new tracks. [ui]
#pragma once

#include "ui/tools/VaeToolPanel.h"

namespace toccata::ui {

class ClipSourceField;

class InterpolatePanel : public VaeToolPanel {
    Q_OBJECT
public:
    enum class Layout { kSeparateClips, kOneClip };
    enum class Place { kPlayhead, kAfterTheSong };

    InterpolatePanel(app::Document& document, app::ModelLibrary& models,
                     app::GenerationService& service, app::GhostTakes& ghosts,
                     std::shared_ptr<app::VaeModelCache> cache, QWidget* parent = nullptr);

    ClipSourceField* fromField() const { return m_from; }
    ClipSourceField* toField() const { return m_to; }
    QSpinBox* stepsBox() const { return m_steps; }
    QComboBox* pathBox() const { return m_path; }
    QComboBox* layoutBox() const { return m_layout; }
    QComboBox* placeBox() const { return m_place; }

protected:
    bool offers(app::VaeKind kind) const override { return app::vaeCanSample(kind); }
    QString noModelText() const override;
    std::optional<Request> prepare(const ml::CatalogEntry& model, const ToolContext& context,
                                   uint64_t seed) override;

private:
    ClipSourceField* m_from;
    ClipSourceField* m_to;
    QSpinBox* m_steps;
    QComboBox* m_path;
    QComboBox* m_layout;
    QComboBox* m_place;
};

}  // namespace toccata::ui
