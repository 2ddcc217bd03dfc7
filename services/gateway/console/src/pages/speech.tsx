// Speech: the tenant's voices, text to synthesise, then play and download the audio.
import { useEffect, useState } from "preact/hooks";
import { api, request } from "../api.ts";
import { Busy, ErrorView, useLoad } from "../ui.tsx";

interface ProviderInfo { provider: string; model: string; defaultVoice: string; voices: { id: string; name?: string; language?: string }[]; formats: string[]; defaultFormat: string; maxChars: number }

export function Speech() {
  const info = useLoad(() => api<ProviderInfo>("/v1/tts/voices"));
  const [voice, setVoice] = useState("");
  const [format, setFormat] = useState("");
  const [text, setText] = useState("Hello from the platform console.");
  const [audio, setAudio] = useState<{ url: string; format: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => () => audio && URL.revokeObjectURL(audio.url), [audio]);

  if (info.loading && !info.data) return <Busy label="Loading voices" />;
  if (info.error !== undefined) return <ErrorView error={info.error} onRetry={info.reload} />;
  const p = info.data!;
  const chosenFormat = format || p.defaultFormat;

  const speak = async () => {
    setBusy(true);
    setError(null);
    try {
      const response = await request("/v1/tts", { body: { text, voice: voice || p.defaultVoice, format: chosenFormat } });
      const blob = await response.blob();
      setAudio({ url: URL.createObjectURL(blob), format: chosenFormat });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="speech">
      <p class="hint">
        Provider <code>{p.provider}</code>, model <code>{p.model}</code>.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void speak();
        }}
      >
        <label>
          Voice{" "}
          <select value={voice || p.defaultVoice} onChange={(e) => setVoice(e.currentTarget.value)}>
            {p.voices.map((v) => (
              <option value={v.id}>
                {v.name ?? v.id}
                {v.language ? ` (${v.language})` : ""}
              </option>
            ))}
          </select>
        </label>
        <label>
          Format{" "}
          <select value={chosenFormat} onChange={(e) => setFormat(e.currentTarget.value)}>
            {p.formats.map((f) => (
              <option value={f}>{f}</option>
            ))}
          </select>
        </label>
        <label for="speech-text">Text</label>
        <textarea id="speech-text" rows={4} maxLength={p.maxChars} value={text} required onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit" disabled={busy || !text.trim()}>
          {busy ? "Synthesising…" : "Play"}
        </button>
      </form>
      {error !== null && <ErrorView error={error} />}
      {audio && (
        <div class="player">
          <audio controls autoplay src={audio.url} aria-label="Synthesised speech" />
          <a class="button secondary" href={audio.url} download={`speech.${audio.format}`}>
            Download
          </a>
        </div>
      )}
    </div>
  );
}
