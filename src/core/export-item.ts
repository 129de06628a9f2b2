/**
 * Wire types of the export-item payload (`GET /v3/export-items`, and v2's `ExportItem`, which has
 * the same shape), named after the spec's schemas (docs/issue-3-contract.md).
 *
 * Optional, nullable fields are typed `T | null` and always present: the generator writes every
 * field, null when it does not apply, so every response has the same keys. Optional fields the
 * spec does not allow to be null (the arrays of AdditionalInformation, `ReconciledEntry.type`,
 * `InvoiceInformation.invoiceDate`, the three links) are always present with a value.
 *
 * Amounts are signed integers in minor units. Sign convention of this mock: money leaving the
 * company is negative (purchases, fees, withdrawals, reimbursements), money coming in is positive
 * (refunds, chargebacks, cashback, wallet top-ups); a line's net and tax amounts share its sign.
 */

/** Values of the spec's `ExportItemType`. */
export const EXPORT_ITEM_TYPES = [
  'card_purchase',
  'card_invoice',
  'out_of_pocket',
  'mileage',
  'per_diem',
  'external_reimbursement',
  'direct_reimbursement',
  'invoice',
  'invoice_payment',
  'chargeback',
  'refund',
  'cashback',
  'atm_withdrawal',
  'wallet_topup',
  'wallet_unload',
  'personal_spend',
  'fee',
] as const;
/** What kind of accounting entry an export item is. */
export type ExportItemType = (typeof EXPORT_ITEM_TYPES)[number];

/** Values of the spec's `TaxType`. */
export const TAX_TYPES = ['inclusive', 'exclusive', 'reverse'] as const;
/** How a tax applies to its line amount. */
export type TaxType = (typeof TAX_TYPES)[number];

/** Values of the spec's `BookkeepingMethod`. */
export const BOOKKEEPING_METHODS = ['none', 'journal', 'accounts_payable'] as const;
/** How an entry is to be booked under vendor-based bookkeeping. */
export type BookkeepingMethod = (typeof BOOKKEEPING_METHODS)[number];

/** An amount: ISO 4217 code and signed value in the currency's minor units. */
export interface Money {
  readonly currency: string;
  readonly value: number;
}

/** The entry's amount as the supplier charged it and as it left (or reached) the wallet. */
export interface ExportItemAmount {
  readonly inSupplierCurrency: Money;
  readonly inWalletCurrency: Money;
}

/** An account of the company's chart of accounts. */
export interface Account {
  readonly id: string;
  readonly name: string;
  /** The account number in the accounting system. */
  readonly code: string | null;
  /** The account's id in the accounting system, when it has one besides the number. */
  readonly identifier: string | null;
}

/** A tag (dimension value) on a line. */
export interface Tag {
  readonly id: string;
  readonly code: string;
  readonly groupCode: string;
}

/** The tax of one line; `rate` is a fraction (0.25 is 25 %). */
export interface Tax {
  readonly id: string;
  readonly amount: Money;
  readonly rate: number;
  readonly type: TaxType;
  readonly code: string | null;
}

/** One line to book; the lines' `lineAmount` values add up to the entry's wallet amount. */
export interface AccountingEntryLine {
  readonly accountingEntryLineId: string;
  readonly lineAmount: Money;
  readonly netAmount: Money;
  readonly account: Account | null;
  readonly tags: readonly Tag[];
  readonly tax: Tax | null;
}

/** Someone present at a meal or event the entry paid for. */
export interface Attendee {
  readonly name: string;
  readonly email: string | null;
}

/** The invoice data of an invoice or invoice payment; dates are `YYYY-MM-DD`. */
export interface InvoiceInformation {
  readonly invoiceNumber: string;
  readonly invoiceDate: string;
  readonly dueDate: string | null;
}

/** Another entry this one is reconciled with (a refund with its purchase, a payment with its invoice). */
export interface ReconciledEntry {
  readonly accountingEntryId: string;
  readonly type: ExportItemType;
}

/** Extra accounting context of an entry. */
export interface AdditionalInformation {
  readonly reconciliationId: string;
  readonly attendees: readonly Attendee[];
  readonly invoiceInformation: InvoiceInformation | null;
  readonly reconciledEntries: readonly ReconciledEntry[];
}

/** How the entry is to be booked; present only for vendor-based bookkeeping. */
export interface Bookkeeping {
  readonly method: BookkeepingMethod;
}

/** A receipt or other file attached to the entry. */
export interface ExportItemFile {
  /** Size in bytes. */
  readonly size: number;
  /** MIME type. */
  readonly type: string;
  readonly url: string;
}

/** The merchant or supplier as written on the receipt. */
export interface Supplier {
  readonly name: string;
  /** ISO 3166-1 alpha-2. */
  readonly countryCode: string | null;
  readonly vatNumber: string | null;
}

/** The team of the entry's user. */
export interface Team {
  readonly id: string;
  readonly name: string;
  readonly code: string | null;
}

/** The user the entry belongs to. */
export interface ExportItemUser {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
}

/** The vendor (creditor) the entry is booked against under vendor-based bookkeeping. */
export interface Vendor {
  readonly id: string;
  readonly name: string;
  readonly code: string | null;
  readonly externalId: string | null;
}

/** Links to the entry in Pleo's web app, mobile app and API. */
export interface ExportItemLinks {
  readonly web: string;
  readonly mobile: string;
  readonly api: string;
}

/**
 * One accounting entry of an export job, with what an accounting system needs to book it.
 * `date` is `YYYY-MM-DDTHH:mm:ssZ`.
 * @example const item: ExportItemV3 = factory.build({ company, accountingEntryId, bookedBefore, vendorBasedBookkeeping: false });
 */
export interface ExportItemV3 {
  readonly accountingEntryId: string;
  readonly companyId: string;
  readonly date: string;
  readonly type: ExportItemType;
  readonly amount: ExportItemAmount;
  readonly accountingEntryLines: readonly AccountingEntryLine[];
  readonly additionalInformation: AdditionalInformation;
  readonly bookkeeping: Bookkeeping | null;
  readonly contraAccount: Account | null;
  readonly files: readonly ExportItemFile[] | null;
  readonly note: string | null;
  readonly supplier: Supplier | null;
  readonly team: Team | null;
  readonly user: ExportItemUser | null;
  readonly vendor: Vendor | null;
  readonly _links: ExportItemLinks | null;
}
