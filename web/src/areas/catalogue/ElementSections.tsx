import type { ReactNode } from "react";
import { Button, Card, Col, Form, Input, InputNumber, Row, Select, Switch } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { codeLabel } from "../../lib/labels";
import { Field, FindingsAt } from "./Findings";
import {
  COMMUNITY_KINDS,
  HANDLING_FORMS,
  HANDLING_TYPES,
  ITEM_TYPES,
  LEVELS,
  LIMIT_UNITS,
  MEDIA,
  ONLINE_DEPTHS,
  POWER_SOURCES,
  PROCESS_STEPS,
  SERVICE_OBJECTS,
  SPECIAL_STEPS,
  type FieldPath,
} from "./model";

const options = (t: TFunction, table: string, codes: readonly (string | number)[]) =>
  codes.map((c) => ({ value: c, label: codeLabel(t, table, c) }));

const half = { xs: 24, md: 12 } as const;
const third = { xs: 24, md: 8 } as const;
const quarter = { xs: 12, md: 6 } as const;

/** Amount, unit and note of a time limit (办结时限), under `name` (relative) at element `path`. */
function Limit({ name, path, label }: { name: FieldPath; path: FieldPath; label: string }) {
  const { t } = useTranslation("catalogue");
  return (
    <fieldset className="cat-fieldset">
      <legend>{label}</legend>
      <FindingsAt path={path} />
      <Row gutter={12}>
        <Col {...quarter}>
          <Field path={[...path, "value"]} name={[...name, "value"]} label={t("f.limitValue")}>
            <InputNumber min={0} max={3650} className="full" />
          </Field>
        </Col>
        <Col {...quarter}>
          <Field path={[...path, "unit"]} name={[...name, "unit"]} label={t("f.limitUnit")}>
            <Select allowClear options={options(t, "limitUnit", LIMIT_UNITS)} />
          </Field>
        </Col>
        <Col xs={24} md={12}>
          <Field path={[...path, "note"]} name={[...name, "note"]} label={t("f.limitNote")}>
            <Input maxLength={4000} />
          </Field>
        </Col>
      </Row>
    </fieldset>
  );
}

/** A list element: one card per entry with a remove button, an add button under them. */
function ListOf({
  name,
  title,
  addLabel,
  blank,
  disabled,
  render,
}: {
  name: FieldPath;
  title: (index: number) => string;
  addLabel: string;
  blank: Record<string, unknown>;
  disabled: boolean;
  render: (index: number, path: FieldPath) => ReactNode;
}) {
  const { t } = useTranslation("catalogue");
  return (
    <>
      <FindingsAt path={name} />
      <Form.List name={name}>
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, index) => (
              <Card
                key={field.key}
                size="small"
                className="cat-entry"
                title={<h3 className="cat-entry-title">{title(index)}</h3>}
                extra={
                  disabled ? null : (
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined aria-hidden />}
                      onClick={() => remove(field.name)}
                      aria-label={t("editor.removeEntry", { what: title(index) })}
                    >
                      {t("editor.remove")}
                    </Button>
                  )
                }
              >
                <FindingsAt path={[...name, index]} />
                {render(field.name, [...name, index])}
              </Card>
            ))}
            {disabled ? null : (
              <Button icon={<PlusOutlined aria-hidden />} onClick={() => add(blank)}>
                {addLabel}
              </Button>
            )}
          </>
        )}
      </Form.List>
    </>
  );
}

/** Every section (tab) of the element form, by key (model.SECTIONS). */
export function useElementSections(disabled: boolean): Record<string, ReactNode> {
  const { t } = useTranslation("catalogue");
  const yesNo = { checkedChildren: t("common.yes"), unCheckedChildren: t("common.no") };
  return {
    basic: (
      <>
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Field path={["name"]} name="name" label={t("f.name")} rules={[{ required: true, whitespace: true, message: t("newItem.nameNeeded") }]}>
              <Input maxLength={200} />
            </Field>
          </Col>
          <Col xs={24} md={8}>
            <Field path={["item_type"]} name="item_type" label={t("f.item_type")}>
              <Select options={options(t, "itemType", ITEM_TYPES)} />
            </Field>
          </Col>
          <Col {...third}>
            <Field path={["level"]} name="level" label={t("f.level")}>
              <Select options={options(t, "level", LEVELS)} />
            </Field>
          </Col>
          <Col {...third}>
            <Field path={["power_source"]} name="power_source" label={t("f.power_source")}>
              <Select allowClear options={POWER_SOURCES.map((c) => ({ value: c, label: t(`code.powerSource.${c}`) }))} />
            </Field>
          </Col>
          <Col {...third}>
            <Field path={["handling_type"]} name="handling_type" label={t("f.handling_type")}>
              <Select allowClear options={options(t, "handlingType", HANDLING_TYPES)} />
            </Field>
          </Col>
          <Col {...half}>
            <Field path={["service_objects"]} name="service_objects" label={t("f.service_objects")}>
              <Select mode="multiple" options={options(t, "serviceObject", SERVICE_OBJECTS)} />
            </Field>
          </Col>
          <Col {...half}>
            <Field path={["community_kind"]} name="community_kind" label={t("f.community_kind")}>
              <Select allowClear options={options(t, "communityKind", COMMUNITY_KINDS)} />
            </Field>
          </Col>
          <Col {...half}>
            <Field path={["quantity_limit"]} name="quantity_limit" label={t("f.quantity_limit")}>
              <Input maxLength={200} placeholder={t("f.quantityLimitHint")} />
            </Field>
          </Col>
          <Col {...half}>
            <Field path={["implementing_unit"]} label={t("f.implementing_unit")} name={["implementing_unit", "name"]}>
              <Input disabled />
            </Field>
          </Col>
          <Col {...half}>
            <Field path={["implementing_unit", "uscc"]} name={["implementing_unit", "uscc"]} label={t("f.uscc")}>
              <Input maxLength={200} />
            </Field>
          </Col>
          <Col {...half}>
            <Field path={["keywords"]} name="keywords" label={t("f.keywords")}>
              <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[",", "，", "、"]} />
            </Field>
          </Col>
          <Col {...half}>
            <Field path={["themes"]} name="themes" label={t("f.themes")}>
              <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[",", "，", "、"]} />
            </Field>
          </Col>
        </Row>
      </>
    ),
    legal: (
      <ListOf
        name={["legal_basis"]}
        disabled={disabled}
        title={(i) => t("f.legalBasisNo", { no: i + 1 })}
        addLabel={t("f.addLegalBasis")}
        blank={{ law: "" }}
        render={(i, path) => (
          <Row gutter={12}>
            <Col xs={24} md={16}>
              <Field path={[...path, "law"]} name={[i, "law"]} label={t("f.law")}>
                <Input maxLength={200} />
              </Field>
            </Col>
            <Col xs={24} md={8}>
              <Field path={[...path, "article"]} name={[i, "article"]} label={t("f.article")}>
                <Input maxLength={200} placeholder={t("f.articleHint")} />
              </Field>
            </Col>
            <Col span={24}>
              <Field path={[...path, "text"]} name={[i, "text"]} label={t("f.articleText")}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={4000} />
              </Field>
            </Col>
          </Row>
        )}
      />
    ),
    limits: (
      <>
        <Limit name={["legal_limit"]} path={["legal_limit"]} label={t("f.legal_limit")} />
        <Limit name={["promised_limit"]} path={["promised_limit"]} label={t("f.promised_limit")} />
        <Field path={["acceptance_conditions"]} name="acceptance_conditions" label={t("f.acceptance_conditions")}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={4000} />
        </Field>
      </>
    ),
    materials: (
      <ListOf
        name={["materials"]}
        disabled={disabled}
        title={(i) => t("f.materialNo", { no: i + 1 })}
        addLabel={t("f.addMaterial")}
        blank={{ name: "", originals: 0, copies: 0, media: [], requirement: "required", exempt: false }}
        render={(i, path) => (
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Field path={[...path, "name"]} name={[i, "name"]} label={t("f.materialName")} rules={[{ required: true, whitespace: true, message: t("f.materialNameNeeded") }]}>
                <Input maxLength={200} />
              </Field>
            </Col>
            <Col xs={24} md={12}>
              <Field path={[...path, "source"]} name={[i, "source"]} label={t("f.source")}>
                <Input maxLength={200} />
              </Field>
            </Col>
            <Col {...quarter}>
              <Field path={[...path, "originals"]} name={[i, "originals"]} label={t("f.originals")}>
                <InputNumber min={0} max={100} className="full" />
              </Field>
            </Col>
            <Col {...quarter}>
              <Field path={[...path, "copies"]} name={[i, "copies"]} label={t("f.copies")}>
                <InputNumber min={0} max={100} className="full" />
              </Field>
            </Col>
            <Col xs={24} md={12}>
              <Field path={[...path, "media"]} name={[i, "media"]} label={t("f.media")}>
                <Select mode="multiple" options={options(t, "medium", MEDIA)} />
              </Field>
            </Col>
            <Col xs={24} md={8}>
              <Field path={[...path, "requirement"]} name={[i, "requirement"]} label={t("f.requirement")}>
                <Select options={options(t, "requirement", ["required", "conditional"])} />
              </Field>
            </Col>
            <Col xs={24} md={16}>
              <Field path={[...path, "condition"]} name={[i, "condition"]} label={t("f.condition")}>
                <Input maxLength={4000} />
              </Field>
            </Col>
            <Col xs={24} md={12}>
              <Field path={[...path, "blank_form_url"]} name={[i, "blank_form_url"]} label={t("f.blank_form_url")}>
                <Input maxLength={500} inputMode="url" />
              </Field>
            </Col>
            <Col xs={24} md={12}>
              <Field path={[...path, "sample_form_url"]} name={[i, "sample_form_url"]} label={t("f.sample_form_url")}>
                <Input maxLength={500} inputMode="url" />
              </Field>
            </Col>
            <Col xs={24} md={8}>
              <Field path={[...path, "exempt"]} name={[i, "exempt"]} label={t("f.exempt")} valuePropName="checked">
                <Switch {...yesNo} />
              </Field>
            </Col>
            <Col xs={24} md={16}>
              <Field path={[...path, "exempt_source"]} name={[i, "exempt_source"]} label={t("f.exempt_source")}>
                <Input maxLength={200} />
              </Field>
            </Col>
            <Col span={24}>
              <Field path={[...path, "notes"]} name={[i, "notes"]} label={t("f.notes")}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={4000} />
              </Field>
            </Col>
          </Row>
        )}
      />
    ),
    process: (
      <>
        <ListOf
          name={["process"]}
          disabled={disabled}
          title={(i) => t("f.stepNo", { no: i + 1 })}
          addLabel={t("f.addStep")}
          blank={{ step: "accept" }}
          render={(i, path) => (
            <Row gutter={12}>
              <Col xs={24} md={8}>
                <Field path={[...path, "step"]} name={[i, "step"]} label={t("f.step")}>
                  <Select options={options(t, "processStep", PROCESS_STEPS)} />
                </Field>
              </Col>
              <Col xs={24} md={16}>
                <Field path={[...path, "actor"]} name={[i, "actor"]} label={t("f.actor")}>
                  <Input maxLength={200} />
                </Field>
              </Col>
              <Col span={24}>
                <Limit name={[i, "time_limit"]} path={[...path, "time_limit"]} label={t("f.stepLimit")} />
              </Col>
              <Col span={24}>
                <Field path={[...path, "description"]} name={[i, "description"]} label={t("f.description")}>
                  <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={4000} />
                </Field>
              </Col>
            </Row>
          )}
        />
        <Field path={["process_chart_url"]} name="process_chart_url" label={t("f.process_chart_url")} className="cat-gap">
          <Input maxLength={500} inputMode="url" />
        </Field>
        <h3 className="cat-subtitle">{t("f.special_steps")}</h3>
        <Field path={["no_special_steps"]} name="no_special_steps" label={t("f.no_special_steps")} valuePropName="checked">
          <Switch {...yesNo} />
        </Field>
        <ListOf
          name={["special_steps"]}
          disabled={disabled}
          title={(i) => t("f.specialNo", { no: i + 1 })}
          addLabel={t("f.addSpecial")}
          blank={{ kind: "hearing" }}
          render={(i, path) => (
            <Row gutter={12}>
              <Col xs={24} md={8}>
                <Field path={[...path, "kind"]} name={[i, "kind"]} label={t("f.specialKind")}>
                  <Select options={SPECIAL_STEPS.map((c) => ({ value: c, label: t(`code.special.${c}`) }))} />
                </Field>
              </Col>
              <Col xs={24} md={16}>
                <Field path={[...path, "description"]} name={[i, "description"]} label={t("f.description")}>
                  <Input maxLength={4000} />
                </Field>
              </Col>
              <Col span={24}>
                <Limit name={[i, "time_limit"]} path={[...path, "time_limit"]} label={t("f.stepLimit")} />
              </Col>
            </Row>
          )}
        />
      </>
    ),
    where: (
      <Row gutter={16}>
        <Col span={24}>
          <FindingsAt path={["place"]} />
          <FindingsAt path={["phones"]} />
        </Col>
        <Col span={24}>
          <Field path={["place", "address"]} name={["place", "address"]} label={t("f.address")}>
            <Input maxLength={200} />
          </Field>
        </Col>
        <Col {...third}>
          <Field path={["place", "street"]} name={["place", "street"]} label={t("f.street")}>
            <Input maxLength={200} />
          </Field>
        </Col>
        <Col {...third}>
          <Field path={["place", "number"]} name={["place", "number"]} label={t("f.number")}>
            <Input maxLength={200} />
          </Field>
        </Col>
        <Col {...third}>
          <Field path={["place", "room"]} name={["place", "room"]} label={t("f.room")}>
            <Input maxLength={200} />
          </Field>
        </Col>
        <Col span={24}>
          <Field path={["hours"]} name="hours" label={t("f.hours")}>
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={4000} placeholder={t("f.hoursHint")} />
          </Field>
        </Col>
        <Col {...half}>
          <Field path={["enquiry_phone"]} name="enquiry_phone" label={t("f.enquiry_phone")}>
            <Input maxLength={200} inputMode="tel" />
          </Field>
        </Col>
        <Col {...half}>
          <Field path={["supervision_phone"]} name="supervision_phone" label={t("f.supervision_phone")}>
            <Input maxLength={200} inputMode="tel" />
          </Field>
        </Col>
      </Row>
    ),
    online: (
      <Row gutter={16}>
        <Col {...half}>
          <Field path={["handling_forms"]} name="handling_forms" label={t("f.handling_forms")}>
            <Select mode="multiple" options={options(t, "handlingForm", HANDLING_FORMS)} />
          </Field>
        </Col>
        <Col {...half}>
          <Field path={["online_depth"]} name="online_depth" label={t("f.online_depth")}>
            <Select allowClear options={options(t, "onlineDepth", ONLINE_DEPTHS)} />
          </Field>
        </Col>
        <Col {...quarter}>
          <Field path={["visits"]} name="visits" label={t("f.visits")}>
            <InputNumber min={0} max={20} className="full" />
          </Field>
        </Col>
        <Col xs={24} md={18}>
          <Field path={["visits_reason"]} name="visits_reason" label={t("f.visits_reason")}>
            <Input maxLength={4000} />
          </Field>
        </Col>
        <Col {...third}>
          <Field path={["appointment_supported"]} name="appointment_supported" label={t("f.appointment_supported")} valuePropName="checked">
            <Switch {...yesNo} />
          </Field>
        </Col>
        <Col {...third}>
          <Field path={["online_payment_supported"]} name="online_payment_supported" label={t("f.online_payment_supported")} valuePropName="checked">
            <Switch {...yesNo} />
          </Field>
        </Col>
        <Col {...third}>
          <Field path={["post_delivery_supported"]} name="post_delivery_supported" label={t("f.post_delivery_supported")} valuePropName="checked">
            <Switch {...yesNo} />
          </Field>
        </Col>
      </Row>
    ),
    fees: (
      <>
        <FindingsAt path={["fees"]} />
        <Field path={["fees", "charged"]} name={["fees", "charged"]} label={t("f.charged")} valuePropName="checked">
          <Switch {...yesNo} />
        </Field>
        <ListOf
          name={["fees", "items"]}
          disabled={disabled}
          title={(i) => t("f.feeNo", { no: i + 1 })}
          addLabel={t("f.addFee")}
          blank={{ name: "" }}
          render={(i, path) => (
            <Row gutter={12}>
              <Col xs={24} md={8}>
                <Field path={[...path, "name"]} name={[i, "name"]} label={t("f.feeName")}>
                  <Input maxLength={200} />
                </Field>
              </Col>
              <Col xs={24} md={8}>
                <Field path={[...path, "standard"]} name={[i, "standard"]} label={t("f.feeStandard")}>
                  <Input maxLength={4000} />
                </Field>
              </Col>
              <Col xs={24} md={8}>
                <Field path={[...path, "basis"]} name={[i, "basis"]} label={t("f.feeBasis")}>
                  <Input maxLength={4000} />
                </Field>
              </Col>
            </Row>
          )}
        />
      </>
    ),
    result: (
      <>
        <Row gutter={16}>
          <Col {...half}>
            <Field path={["result", "name"]} name={["result", "name"]} label={t("f.resultName")}>
              <Input maxLength={200} />
            </Field>
          </Col>
          <Col {...half}>
            <Field path={["result", "sample_url"]} name={["result", "sample_url"]} label={t("f.resultSample")}>
              <Input maxLength={500} inputMode="url" />
            </Field>
          </Col>
        </Row>
        <h3 className="cat-subtitle">{t("f.faq")}</h3>
        <ListOf
          name={["faq"]}
          disabled={disabled}
          title={(i) => t("f.faqNo", { no: i + 1 })}
          addLabel={t("f.addFaq")}
          blank={{ question: "", answer: "" }}
          render={(i, path) => (
            <>
              <Field path={[...path, "question"]} name={[i, "question"]} label={t("f.question")}>
                <Input maxLength={4000} />
              </Field>
              <Field path={[...path, "answer"]} name={[i, "answer"]} label={t("f.answer")}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={4000} />
              </Field>
            </>
          )}
        />
      </>
    ),
  };
}
