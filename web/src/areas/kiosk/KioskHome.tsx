import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { Button, Input } from "antd";
import { BankOutlined, CalendarOutlined, NumberOutlined, SearchOutlined, StarOutlined, ThunderboltOutlined, UserOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { useDocumentTitle } from "../../lib/useDocumentTitle";

export default function KioskHome() {
  const { t } = useTranslation("kiosk");
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  useDocumentTitle(t("brand"));
  const tiles = [
    { to: "/kiosk/queue", icon: <NumberOutlined aria-hidden />, title: t("tiles.queue"), hint: t("tiles.queueHint") },
    { to: "/kiosk/queue/check-in", icon: <CalendarOutlined aria-hidden />, title: t("tiles.checkIn"), hint: t("tiles.checkInHint") },
    { to: "/kiosk/items", icon: <SearchOutlined aria-hidden />, title: t("tiles.search"), hint: t("tiles.searchHint") },
    { to: "/kiosk/items?zero_visit=true", icon: <ThunderboltOutlined aria-hidden />, title: t("tiles.zeroVisit"), hint: t("tiles.zeroVisitHint") },
    { to: "/kiosk/items?service_object=1", icon: <UserOutlined aria-hidden />, title: t("tiles.persons"), hint: t("tiles.personsHint") },
    { to: "/kiosk/items?service_object=2", icon: <BankOutlined aria-hidden />, title: t("tiles.enterprises"), hint: t("tiles.enterprisesHint") },
    { to: "/kiosk/rate", icon: <StarOutlined aria-hidden />, title: t("tiles.rate"), hint: t("tiles.rateHint") },
  ];
  return (
    <div className="kiosk-page">
      <section className="kiosk-hero" aria-labelledby="kiosk-title">
        <h1 id="kiosk-title" tabIndex={-1}>
          {t("welcome")}
        </h1>
        <p>{t("welcomeText")}</p>
        <form
          role="search"
          aria-label={t("search")}
          className="kiosk-search"
          onSubmit={(e) => {
            e.preventDefault();
            const text = q.trim();
            navigate(text ? `/kiosk/items?q=${encodeURIComponent(text)}` : "/kiosk/items");
          }}
        >
          <label htmlFor="kiosk-q" className="visually-hidden">
            {t("searchLabel")}
          </label>
          <Input id="kiosk-q" size="large" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t("searchPlaceholder")} maxLength={100} />
          <Button type="primary" htmlType="submit" size="large" className="kiosk-button" icon={<SearchOutlined aria-hidden />}>
            {t("searchButton")}
          </Button>
        </form>
      </section>
      <ul className="kiosk-tiles">
        {tiles.map((tile) => (
          <li key={tile.to}>
            <Link to={tile.to} className="kiosk-tile">
              <span className="kiosk-tile-icon">{tile.icon}</span>
              <span className="kiosk-tile-title">{tile.title}</span>
              <span className="kiosk-tile-hint">{tile.hint}</span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
