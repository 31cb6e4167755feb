#include "app/AudioSettings.h"

#include <algorithm>

namespace toccata::app {
namespace {

int intIn(QSettings& s, const char* key, int fallback, int min, int max) {
    bool ok = false;
    const int value = s.value(key, fallback).toInt(&ok);
    return ok && value >= min && value <= max ? value : fallback;
}

}  // namespace

AudioSettings AudioSettings::load(QSettings& s) {
    AudioSettings out;
    out.api = s.value("audio/api", out.api).toString();
    out.deviceId = intIn(s, "audio/deviceId", out.deviceId, -1, 4096);
    out.sampleRate = intIn(s, "audio/sampleRate", out.sampleRate, 8000, 96000);
    out.bufferFrames = intIn(s, "audio/bufferFrames", out.bufferFrames, 16, 8192);
    out.soundFont = s.value("audio/soundFont", out.soundFont).toString();
    out.synthEnabled = s.value("audio/synthEnabled", out.synthEnabled).toBool();
    out.midiOutputPort = s.value("midi/outputPort", out.midiOutputPort).toString();
    out.virtualOutput = s.value("midi/virtualOutput", out.virtualOutput).toBool();
    out.clockOut = s.value("midi/clockOut", out.clockOut).toBool();
    out.midiInputPort = s.value("midi/inputPort", out.midiInputPort).toString();
    out.virtualInput = s.value("midi/virtualInput", out.virtualInput).toBool();
    out.monitorInput = s.value("midi/monitorInput", out.monitorInput).toBool();
    out.recordQuantizeSteps = intIn(s, "midi/recordQuantizeSteps", 0, 0, 96);
    return out;
}

void AudioSettings::save(QSettings& s) const {
    s.setValue("audio/api", api);
    s.setValue("audio/deviceId", deviceId);
    s.setValue("audio/sampleRate", sampleRate);
    s.setValue("audio/bufferFrames", bufferFrames);
    s.setValue("audio/soundFont", soundFont);
    s.setValue("audio/synthEnabled", synthEnabled);
    s.setValue("midi/outputPort", midiOutputPort);
    s.setValue("midi/virtualOutput", virtualOutput);
    s.setValue("midi/clockOut", clockOut);
    s.setValue("midi/inputPort", midiInputPort);
    s.setValue("midi/virtualInput", virtualInput);
    s.setValue("midi/monitorInput", monitorInput);
    s.setValue("midi/recordQuantizeSteps", recordQuantizeSteps);
}

}  // namespace toccata::app
