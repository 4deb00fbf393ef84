
import { Link } from "react-router";
import { Alert } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useAreaTexts } from "../../i18n/useAreaTexts";
import { useSession } from "../../auth/useSession";
import { listOffers, OFFER_KEYS } from "./queries";

function Banner() {
  const { t } = useTranslation("offers");
  const waiting = useQuery({ queryKey: OFFER_KEYS.waiting, queryFn: () => listOffers("offered", 1) });
  if (!waiting.data || waiting.data.total === 0) return null;
  return (
    <Alert
      type="info"
      showIcon
      className="offers-banner"
      message={t("banner", { count: waiting.data.total })}
      action={<Link to="/my/offers">{t("bannerLink")}</Link>}
    />
  );
}

/** "您有 N 项免申即享服务待确认" on a citizen's pages, once the offers area's texts are there. */
export function OffersBanner() {
  const { claims } = useSession();
  const ready = useAreaTexts("offers");
  if (!ready || claims?.kind !== "person") return null;
  return <Banner />;
}
