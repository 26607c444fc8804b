// "Lyssna": reads the lesson aloud with the browser's speech synthesis, in Swedish. Progressive enhancement: the
// button stays hidden without script, without speech synthesis, and without a Swedish voice (a lesson read with an
// English voice is worse than none). Browsers load voices late, so the check runs again on "voiceschanged".
(function () {
    'use strict';
    var button = document.getElementById('lyssna');
    var synth = window.speechSynthesis;
    if (!button || !synth || typeof window.SpeechSynthesisUtterance !== 'function') {
        return;
    }

    var box = button.parentElement;
    var status = document.getElementById('lyssna-status');
    var speaking = false;

    function swedishVoice() {
        var voices = synth.getVoices() || [];
        for (var i = 0; i < voices.length; i++) {
            if (String(voices[i].lang || '').replace('_', '-').toLowerCase().indexOf('sv') === 0) {
                return voices[i];
            }
        }
        return null;
    }

    // The label says what a press does, and the status region announces what happened: a changing label with
    // aria-pressed as well would read as "Sluta läsa upp, nedtryckt".
    function show(state, message) {
        speaking = state;
        button.textContent = state ? 'Sluta läsa upp' : 'Lyssna';
        button.classList.toggle('speaking', state);
        status.textContent = message;
    }

    // The lesson's text as a reader sees it, without the listen controls and the form buttons.
    function lessonText() {
        var root = document.querySelector(button.getAttribute('data-read'));
        var copy = root.cloneNode(true);
        var skip = copy.querySelectorAll('.listen, button, [hidden], .visually-hidden');
        for (var i = 0; i < skip.length; i++) {
            skip[i].remove();
        }
        return copy.textContent.replace(/\s+/g, ' ').trim();
    }

    function setUp() {
        if (swedishVoice()) {
            box.hidden = false;
        }
    }

    button.addEventListener('click', function () {
        if (speaking) {
            synth.cancel();
            show(false, 'Uppläsningen är stoppad.');
            return;
        }

        var utterance = new SpeechSynthesisUtterance(lessonText());
        var voice = swedishVoice();
        utterance.lang = voice ? voice.lang : 'sv-SE';
        try {
            utterance.voice = voice;
        } catch (e) {
            // Not a voice object the browser made; the language still picks a Swedish voice.
        }
        utterance.onend = function () { show(false, 'Uppläsningen är klar.'); };
        utterance.onerror = function () { show(false, 'Uppläsningen avbröts.'); };
        synth.cancel();
        show(true, 'Läser upp lektionen.');
        synth.speak(utterance);
    });

    setUp();
    if (typeof synth.addEventListener === 'function') {
        synth.addEventListener('voiceschanged', setUp);
    }
})();
