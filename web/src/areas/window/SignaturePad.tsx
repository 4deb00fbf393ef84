import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from "react";
import { Button } from "antd";
import { ClearOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";

export interface SignaturePadHandle {
  /** The drawing as a PNG, or null when nothing was drawn. */
  toPng: () => Promise<Blob | null>;
  clear: () => void;
}

/**
 * A signature drawn on screen with a finger, pen or mouse (签收): the applicant signs the receipt
 * for the result at the window. Pointer events, so touch screens and signature tablets work alike.
 */
export const SignaturePad = forwardRef<SignaturePadHandle, { label: string; onChange?: (signed: boolean) => void }>(function SignaturePad({ label, onChange }, ref) {
  const { t } = useTranslation("window");
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const [signed, setSigned] = useState(false);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    // Draw at the device's pixel density, at the width the layout gives the pad.
    const ratio = window.devicePixelRatio || 1;
    const width = c.clientWidth || 480;
    c.width = Math.round(width * ratio);
    c.height = Math.round(160 * ratio);
    const ctx = c.getContext("2d");
    if (!ctx) return;
    ctx.scale(ratio, ratio);
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111";
  }, []);

  const mark = (value: boolean) => {
    setSigned(value);
    onChange?.(value);
  };
  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top] as const;
  };
  const down = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const ctx = canvas.current?.getContext("2d");
    if (!ctx) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drawing.current = true;
    const [x, y] = point(e);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 0.1, y + 0.1);
    ctx.stroke();
  };
  const move = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    const ctx = canvas.current?.getContext("2d");
    if (!ctx) return;
    const [x, y] = point(e);
    ctx.lineTo(x, y);
    ctx.stroke();
    if (!signed) mark(true);
  };
  const up = () => {
    drawing.current = false;
  };
  const clear = () => {
    const c = canvas.current;
    const ctx = c?.getContext("2d");
    if (!c || !ctx) return;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.restore();
    mark(false);
  };
  useImperativeHandle(ref, () => ({
    clear,
    toPng: () =>
      new Promise<Blob | null>((resolve) => {
        if (!signed || !canvas.current) return resolve(null);
        // White behind the ink, so the receipt prints and views as on paper.
        const c = canvas.current;
        const out = document.createElement("canvas");
        out.width = c.width;
        out.height = c.height;
        const ctx = out.getContext("2d");
        if (!ctx) return resolve(null);
        ctx.fillStyle = "#fff";
        ctx.fillRect(0, 0, out.width, out.height);
        ctx.drawImage(c, 0, 0);
        out.toBlob((b) => resolve(b), "image/png");
      }),
  }));

  return (
    <div className="signature">
      <canvas
        ref={canvas}
        className="signature-canvas"
        role="img"
        aria-label={signed ? t("deliver.signatureDrawn", { label }) : label}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
        onPointerLeave={up}
      />
      <div className="signature-bar">
        <span className="muted">{signed ? t("deliver.signed") : t("deliver.signHere")}</span>
        <Button size="small" icon={<ClearOutlined aria-hidden />} onClick={clear} disabled={!signed}>
          {t("deliver.clearSignature")}
        </Button>
      </div>
    </div>
  );
});
