import GuidePage from "../../pages/GuidePage";

/** A guide on the kiosk: the portal's guide page, in the kiosk's larger type (its links stay in the kiosk). */
export default function KioskGuide() {
  return (
    <div className="kiosk-guide">
      <GuidePage />
    </div>
  );
}
