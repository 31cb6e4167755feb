// PianoGenieMidiMapping: which notes of a MIDI controller act as the 8 Piano Genie buttons.
// Modes: off (the controller is monitored as usual), the white keys C4..C5 (60 62 64 65 67 69
// 71 72 = buttons 0..7), or learned: the first 8 distinct notes played after choosing the
// mode become the buttons, in pitch order (lowest = button 0) or in the order they were
// played. Learning notes are swallowed (they do not sound); once 8 are known the mapping is
// live. Notes that are not buttons are not the genie's (the caller monitors them as usual).
// Pure logic, no Qt. [ui]
#pragma once

#include <array>
#include <vector>

namespace toccata::app {

class PianoGenieMidiMapping {
public:
    enum class Mode { kOff, kWhiteKeys, kLearnPitchOrder, kLearnPressOrder };
    static constexpr int kButtons = 8;
    static constexpr std::array<int, kButtons> kWhiteKeysC4 = {60, 62, 64, 65, 67, 69, 71, 72};

    /// What a note message means for the genie.
    struct Routed {
        bool consumed = false;  ///< the genie takes the message (do not monitor it)
        int button = -1;        ///< the button it presses/releases, -1 = none (learning)
    };

    /// Choosing a learn mode (again) forgets the learned notes and starts learning.
    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    /// Learns again in the current learn mode (nothing for the other modes).
    void relearn();

    bool isOn() const { return m_mode != Mode::kOff; }
    bool isLearning() const;
    int learnedCount() const { return static_cast<int>(m_learned.size()); }
    /// The MIDI pitch of each button (-1 while not known).
    std::array<int, kButtons> pitches() const;
    /// The button of `pitch`, or -1.
    int buttonOf(int pitch) const;

    Routed noteOn(int pitch);
    Routed noteOff(int pitch);

private:
    Mode m_mode = Mode::kOff;
    std::vector<int> m_learned;  // in press order
    std::array<int, kButtons> m_pitches{-1, -1, -1, -1, -1, -1, -1, -1};
};

}  // namespace toccata::app
