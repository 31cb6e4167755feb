#include "ui/tools/PianoControls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QSpinBox>

#include "ml/generation/KeyScale.h"

namespace toccata::ui {

namespace {

constexpr const char* kPitchNames[] = {"C",  "C#", "D",  "Eb", "E",  "F",
                                       "F#", "G",  "Ab", "A",  "Bb", "B"};
constexpr int kSliderMax = 10;
constexpr int kScaleWeight = 4;  // of kSliderMax; the tonic gets twice as much
constexpr int kOff = -1;         // preset data: no histogram
constexpr int kCustom = -2;      // preset data: the sliders as they are

}  // namespace

PianoControls::PianoControls(QWidget* parent)
    : QWidget(parent),
      m_form(new QFormLayout(this)),
      m_unit(new QComboBox(this)),
      m_seconds(new QDoubleSpinBox(this)),
      m_density(new QDoubleSpinBox(this)),
      m_histogram(new QWidget(this)),
      m_key(new QComboBox(this)),
      m_preset(new QComboBox(this)),
      m_sampling(new QWidget(this)),
      m_topK(new QSpinBox(m_sampling)),
      m_topP(new QDoubleSpinBox(m_sampling)) {
    setObjectName("PianoControls");
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_unit->addItem(tr("bars"));
    m_unit->addItem(tr("seconds"));
    m_seconds->setRange(1.0, 600.0);
    m_seconds->setDecimals(1);
    m_seconds->setValue(10.0);
    m_seconds->setSuffix(tr(" s"));
    auto* lengthRow = new QHBoxLayout;
    lengthRow->addWidget(m_unit);
    lengthRow->addWidget(m_seconds, 1);
    m_form->addRow(tr("Length in"), lengthRow);

    m_density->setRange(0.0, 64.0);
    m_density->setSingleStep(0.5);
    m_density->setDecimals(1);
    m_density->setSuffix(tr(" notes/s"));
    m_density->setSpecialValueText(tr("off"));
    m_density->setToolTip(tr("How many notes per second the model aims for; off lets it choose"));
    m_form->addRow(tr("Density"), m_density);

    // Pitch-class histogram: a key + preset fills the 12 sliders; moving one makes it custom.
    for (const char* key : kPitchNames) m_key->addItem(QString::fromLatin1(key));
    m_preset->addItem(tr("off"), kOff);
    for (ml::Scale s : {ml::Scale::kMajor, ml::Scale::kNaturalMinor, ml::Scale::kHarmonicMinor,
                        ml::Scale::kDorian, ml::Scale::kMixolydian, ml::Scale::kMajorPentatonic,
                        ml::Scale::kMinorPentatonic, ml::Scale::kBlues, ml::Scale::kChromatic})
        m_preset->addItem(QString::fromLatin1(ml::KeyScale::scaleName(s)).replace('-', ' '),
                          static_cast<int>(s));
    m_preset->addItem(tr("custom"), kCustom);
    m_preset->setToolTip(tr("Which pitch classes the model should favour"));
    auto* grid = new QGridLayout(m_histogram);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(1);
    grid->addWidget(m_key, 0, 0, 1, 4);
    grid->addWidget(m_preset, 0, 4, 1, 8);
    for (int pc = 0; pc < 12; ++pc) {
        auto* slider = new QSlider(Qt::Vertical, m_histogram);
        slider->setRange(0, kSliderMax);
        slider->setFixedHeight(48);
        slider->setToolTip(tr("Weight of %1").arg(QString::fromLatin1(kPitchNames[pc])));
        m_sliders[static_cast<size_t>(pc)] = slider;
        grid->addWidget(slider, 1, pc, Qt::AlignHCenter);
        auto* name = new QLabel(QString::fromLatin1(kPitchNames[pc]), m_histogram);
        name->setAlignment(Qt::AlignHCenter);
        grid->addWidget(name, 2, pc);
        connect(slider, &QSlider::valueChanged, this, [this] {
            if (m_applyingPreset) return;
            m_preset->setCurrentIndex(m_preset->findData(kCustom));
        });
    }
    m_form->addRow(tr("Pitches"), m_histogram);

    m_topK->setRange(0, 1000);
    m_topK->setSpecialValueText(tr("off"));
    m_topK->setToolTip(tr("Sample only among the k most likely events"));
    m_topP->setRange(0.05, 1.0);
    m_topP->setSingleStep(0.05);
    m_topP->setDecimals(2);
    m_topP->setValue(1.0);
    m_topP->setToolTip(
        tr("Sample only among the most likely events that make up this share of "
           "the probability (1 = off)"));
    auto* topRow = new QHBoxLayout(m_sampling);
    topRow->setContentsMargins(0, 0, 0, 0);
    topRow->addWidget(new QLabel(tr("top-k"), m_sampling));
    topRow->addWidget(m_topK, 1);
    topRow->addWidget(new QLabel(tr("top-p"), m_sampling));
    topRow->addWidget(m_topP, 1);
    m_form->addRow(tr("Sampling"), m_sampling);

    m_primerOptions = new QWidget(this);
    m_condition = new QCheckBox(tr("Condition on the input"), m_primerOptions);
    m_condition->setChecked(true);
    m_condition->setToolTip(
        tr("The model hears the input before it continues "
           "(Magenta's condition_on_primer)"));
    m_inject = new QCheckBox(tr("Inject the input"), m_primerOptions);
    m_inject->setToolTip(
        tr("Replays the input's notes step by step while the model "
           "harmonizes around them (Magenta's inject_primer_during_generation)"));
    auto* primerRow = new QHBoxLayout(m_primerOptions);
    primerRow->setContentsMargins(0, 0, 0, 0);
    primerRow->addWidget(m_condition);
    primerRow->addWidget(m_inject);
    m_form->addRow(tr("Input"), m_primerOptions);

    connect(m_unit, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        updateRows();
        emit lengthUnitChanged(lengthInSeconds());
    });
    connect(m_key, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &PianoControls::applyPreset);
    connect(m_preset, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &PianoControls::applyPreset);
    applyPreset();
    setTraits({});
}

bool PianoControls::lengthInSeconds() const { return m_unit->currentIndex() == 1; }

void PianoControls::setTraits(const app::PianoTraits& traits) {
    m_traits = traits;
    setVisible(traits.isPiano());
    updateRows();
}

void PianoControls::updateRows() {
    m_seconds->setVisible(lengthInSeconds());
    m_form->setRowVisible(m_density, m_traits.density);
    m_form->setRowVisible(m_histogram, m_traits.pitchHistogram);
    m_form->setRowVisible(m_sampling, m_traits.topKTopP);
    m_form->setRowVisible(m_primerOptions, m_traits.primerOptions);
}

void PianoControls::applyPreset() {
    const int preset = m_preset->currentData().toInt();
    m_key->setEnabled(preset >= 0);
    if (preset == kCustom) return;
    m_applyingPreset = true;
    std::array<bool, 12> mask{};
    if (preset >= 0)
        mask = ml::KeyScale{m_key->currentIndex(), static_cast<ml::Scale>(preset)}.pitchClassMask();
    for (int pc = 0; pc < 12; ++pc) {
        int weight = mask[static_cast<size_t>(pc)] ? kScaleWeight : 0;
        if (preset >= 0 && pc == m_key->currentIndex()) weight *= 2;
        m_sliders[static_cast<size_t>(pc)]->setValue(weight);
    }
    m_applyingPreset = false;
}

app::PianoToolRequest PianoControls::request(const app::Document& doc, double from,
                                             int bars) const {
    app::PianoToolRequest request;
    request.seconds = lengthInSeconds() ? m_seconds->value() : app::barsToSeconds(doc, from, bars);
    if (m_traits.density && m_density->value() > m_density->minimum())
        request.density = m_density->value();
    if (m_traits.pitchHistogram && m_preset->currentData().toInt() != kOff) {
        std::vector<double> weights;
        for (const QSlider* slider : m_sliders) weights.push_back(slider->value());
        request.pitchHistogram = std::move(weights);
    }
    if (m_traits.primerOptions) {
        request.conditionOnPrimer = m_condition->isChecked();
        request.injectPrimer = m_inject->isChecked();
    }
    if (m_traits.topKTopP) {
        request.topK = m_topK->value();
        request.topP = m_topP->value();
    }
    return request;
}

}  // namespace toccata::ui
