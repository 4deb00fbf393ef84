import { useEffect, useState } from "react";
import { Link } from "react-router";
import { Alert } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import i18n from "../../i18n";
import { loadArea } from "../../i18n/areas";
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
  const [ready, setReady] = useState(() => i18n.hasResourceBundle(i18n.language || "zh-CN", "offers"));
  useEffect(() => {
    if (ready) return;
    let live = true;
    const done = () => live && setReady(true);
    void loadArea("offers").then(done, done);
    return () => {
      live = false;
    };
  }, [ready]);
  if (!ready || claims?.kind !== "person") return null;
  return <Banner />;
}
