// DrumifyPanel: the Drumify tool. A rhythm — the notes of any track (its selection, the whole
// track or the loop region), or taps recorded live on the panel's tap pad at the song's tempo
// from the playhead's bar — becomes a full drum kit with a GrooVAE tap2drum model, as a new
// drum track (a ghost take until accepted). [ui]
#pragma once

#include "ui/tools/VaeToolPanel.h"

namespace toccata::ui {

class TapPad;

class DrumifyPanel : public VaeToolPanel {
    Q_OBJECT
public:
    DrumifyPanel(app::Document& document, app::ModelLibrary& models,
                 app::GenerationService& service, app::GhostTakes& ghosts,
                 std::shared_ptr<app::VaeModelCache> cache, QWidget* parent = nullptr);

    /// The rhythm's source: the Input choices of a track, or the tapped rhythm (last item).
    QComboBox* inputBox() const { return m_input; }
    QPushButton* tapButton() const { return m_tap; }
    TapPad* tapPad() const { return m_pad; }
    static constexpr int kTapped = 100;  ///< inputBox() data of "Tapped rhythm"

protected:
    bool offers(app::VaeKind kind) const override { return kind == app::VaeKind::kTapToDrums; }
    QString noModelText() const override;
    std::optional<Request> prepare(const ml::CatalogEntry& model, const ToolContext& context,
                                   uint64_t seed) override;

private:
    QComboBox* m_input;
    QPushButton* m_tap;
    TapPad* m_pad;
};

}  // namespace toccata::ui
