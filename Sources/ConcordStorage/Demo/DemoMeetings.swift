import ConcordDomain
import Foundation

/// The Kent Community Safety Partnership's real meetings, as the packs in shared/reference/papers record them:
/// agendas with their codes, kinds, page ranges and restricted items; attendance; minute numbers with the items
/// they cite (kept as written, mismatches included); actions with their owners; and the business promised to
/// later meetings. Minute paragraphs are shortened from the papers.
///
/// Where the papers are silent Concord needs a value, and these are the demo's own: the Schedule 12A paragraph
/// of each restricted item (the packs give none), the standing items A1/A2 of agendas known only from their
/// minutes, and publication dates of those agendas (eight days before, as the 2014 pack was issued).
enum DemoMeetings {
    struct Item {
        let code: String
        let title: String
        var kind: AgendaItemKind = .report
        var pages: Int? = nil
        var restricted: (ExemptionParagraph, String, Set<Role>)? = nil
        var promise: String? = nil
    }

    struct Action {
        let owner: String
        let description: String
        var dueAtNextMeeting = false
        var completedOn: String? = nil
        var note: String? = nil
    }

    struct MinuteRecord {
        let number: Int
        let title: String
        var item: String? = nil
        var isPrivate = false
        var paragraphs: [String] = []
        var resolution: ResolutionKind? = nil
        var resolutionText: String? = nil
        var actions: [Action] = []
        /// Business promised to the next meeting (or, with `toNextMeeting` false, to a future one).
        var promises: [(title: String, toNextMeeting: Bool)] = []
    }

    struct Record {
        let date: String
        let time: String
        let venue: String?
        var contact: (name: String, phone: String?, email: String?)? = nil
        var issuedOn: String
        var packFirstPage = 1
        var minutesStartAt: Int? = nil
        var items: [Item]
        var present: [String] = []
        var alsoPresent: [String] = []
        var inAttendance: [String] = []
        var chairChanges: [(person: String, minute: Int, note: String)] = []
        var minutes: [MinuteRecord] = []
        var minutesAgreedAt: String? = nil
    }

    static let dhr: (ExemptionParagraph, String, Set<Role>) =
        (.individual, "Domestic Homicide Review cases: information about the victims, families and people involved", [.dhrOfficer])
    static let intelligence: (ExemptionParagraph, String, Set<Role>) =
        (.crime, "Intelligence about action taken to prevent crime", [])

    static let denise = (name: "Denise Fitch", phone: Optional("01622 6942369"), email: Optional("denise.fitch@kent.gov.uk"))

    static let records: [Record] = [
        Record(date: "2013-07-17", time: "10:00", venue: "Darent Room, Sessions House, County Hall, Maidstone", contact: denise,
               issuedOn: "2013-07-09", packFirstPage: 3, minutesStartAt: 23,
               items: [
                Item(code: "A1", title: "Apologies", kind: .verbalUpdate), Item(code: "A2", title: "Declarations of Interest", kind: .verbalUpdate),
                Item(code: "A3", title: "Minutes of the meeting held on 19 March 2013"),
                Item(code: "B1", title: "Update on New Independent Domestic Violence Advisor (IDVA) Service Provision for Kent & Medway"),
                Item(code: "B2", title: "Kent Police and Crime Commissioner and Kent Police and Crime Panel - First 6 months"),
                Item(code: "B3", title: "Engaging Clinical Commissioning Groups", kind: .verbalUpdate),
                Item(code: "B4", title: "Living in Fear - better outcomes for people with autism and learning disabilities", kind: .presentation),
                Item(code: "B5", title: "'Focus on your Safety' - Kent Fire's draft strategy for Community Safety"),
                Item(code: "B6", title: "Kent and Medway Strategic Plan for Reducing Reoffending 2012-15 - Annual progress report and Plan refresh",
                     kind: .toFollow),
                Item(code: "B7", title: "Briefing Paper on the Current and Future Sexual Assault Referral Centre (SARC) provision in Kent"),
                Item(code: "B8", title: "Kent Community Safety Agreement - Performance Update and Development of a New Agreement"),
                Item(code: "B9", title: "Date of next meeting - 17 October 2013 at 10.00am", kind: .verbalUpdate),
                Item(code: "B10", title: "Youth Related Issues", kind: .verbalUpdate, restricted: intelligence),
                Item(code: "B11", title: "Domestic Homicide Reviews (DHRs)", restricted: dhr),
               ],
               present: ["Mr P M Hill, OBE|Chairman", "Mr David Coleman|Vice-Chairman", "Dr S Beaumont", "Ms S Billiald", "Mr S Bone-Knell",
                         "Ms H Carpenter", "Mr J Carmichael", "Cllr P Hicks", "Ms A Gilmour", "Mr J Littlemore>Ms Z Cooke", "Ms M Peachey",
                         "Acting Chief Superintendent A. Rabey", "Cllr M Rhodes", "Mr M Roberts>Mr J A Kite, MBE", "Chief Inspector L Russell",
                         "Mr C Turner"],
               alsoPresent: ["Mrs A Barnes", "Ms D Cartwright", "Mrs K Chapman", "DCI A Pritchard"],
               inAttendance: ["Mr J Parris|Community Safety Manager"],
               minutes: [
                MinuteRecord(number: 23, title: "Minutes of the meeting held on 19 March 2013", item: "A3",
                             paragraphs: ["The report from Sarah Billiald on changes to the management of offenders who received sentences of less than 12 months would be submitted to the October meeting.",
                                          "The notes of the meeting held on 19 March 2013 were agreed as a true record and signed by the Chairman. Actions from the last meeting were noted."],
                             resolution: .agreed,
                             actions: [Action(owner: "Sarah Billiald", description: "Report on changes to the management of offenders sentenced to less than 12 months, to the October meeting",
                                              dueAtNextMeeting: true, completedOn: "2013-10-17", note: "Presented at the October meeting (item B1)")],
                             promises: [("Management of offenders with short prison sentences (under 12 months)", true)]),
                MinuteRecord(number: 24, title: "Update on New Independent Domestic Violence Advisor (IDVA) Service Provision for Kent & Medway", item: "B1",
                             paragraphs: ["Chris Turner (Kent Criminal Justice Board) presented a report on the new IDVA service, which had commenced on 8 April 2013, and tabled its first quarter's performance report: 412 clients across Kent and Medway.",
                                          "Deborah Cartwright reported on funding secured for a more intensive service for young people, children and more complex clients.",
                                          "The Partnership emphasised a consultant service in every District, support for children, funding for at least 3 years and links with Troubled Families."],
                             resolution: .noted, resolutionText: "There would be an item on the future funding of this service at the next meeting.",
                             actions: [Action(owner: "Chris Turner", description: "Item on the future funding of the IDVA service at the next meeting",
                                              dueAtNextMeeting: true, completedOn: "2013-10-17", note: "Item B4 at the October meeting")],
                             promises: [("Funding of the IDVA service for 2014/15", true)]),
                MinuteRecord(number: 25, title: "Kent Police and Crime Commissioner and Kent Police and Crime Panel - First 6 months", item: "B2",
                             paragraphs: ["The Chairman reported that this item had been withdrawn and that there would be a joint report from the Police & Crime Commissioner and the Head of Community Safety & Emergency Planning to the next meeting."],
                             resolution: .withdrawn,
                             actions: [Action(owner: "Stuart Beaumont and Mrs Barnes", description: "Joint report from the Police & Crime Commissioner and the Head of Community Safety & Emergency Planning to the next meeting",
                                              dueAtNextMeeting: true)],
                             promises: [("Police and Crime Commissioner and Police and Crime Panel: joint report", true)]),
                MinuteRecord(number: 26, title: "Engaging Clinical Commissioning Groups - verbal update", item: "B3",
                             paragraphs: ["Hazel Carpenter gave a short presentation on the eight CCGs in Kent and Medway and their commissioning responsibilities.",
                                          "Formal complaints relating to GPs would go to NHS England."],
                             resolution: .noted),
                MinuteRecord(number: 27, title: "Living in Fear - better outcomes for people with autism and learning disabilities - Presentation", item: "B4",
                             paragraphs: ["Colin Guest (MCCH) and DCI Andy Pritchard (Kent Police) updated the Partnership on the Living in Fear project.",
                                          "Mrs Barnes offered to facilitate a seminar to look at the outcome of this research.",
                                          "The meeting noted the report and that the draft recommendations would be shared with partners for comments."],
                             resolution: .noted,
                             actions: [Action(owner: "Mrs Barnes", description: "Facilitate a seminar on the outcome of the Living in Fear research"),
                                       Action(owner: "Honey-Leigh Topley (KCC)", description: "Share the draft Living in Fear recommendations with partners for comment")]),
                MinuteRecord(number: 28, title: "'Focus on your Safety' - Kent Fire's draft strategy for Community Safety", item: "B5",
                             paragraphs: ["Sean Bone-Knell introduced the draft five year community safety strategy and invited comments."],
                             resolution: .noted, resolutionText: "The Partnership noted the draft strategy."),
                MinuteRecord(number: 29, title: "Kent and Medway Strategic Plan for Reducing Reoffending 2012-15 - Annual progress report and Plan refresh", item: "B6",
                             paragraphs: ["Sarah Billiald introduced the end of year progress review and proposed plan refresh.",
                                          "Sarah confirmed that there would be a detailed presentation to the Partnership in the autumn."],
                             resolution: .noted, resolutionText: "The Partnership noted the annual report.",
                             actions: [Action(owner: "Sarah Billiald", description: "Detailed presentation on reducing reoffending to the Partnership in the autumn")]),
                MinuteRecord(number: 30, title: "Briefing Paper on the Current and Future Sexual Assault Referral Centre (SARC) provision in Kent", item: "B7",
                             paragraphs: ["Meradin Peachey and Tim Smith (Kent Police) introduced a report on SARC provision in Kent."],
                             resolution: .noted, resolutionText: "The Partnership noted the progress made to establish a SARC in Kent."),
                MinuteRecord(number: 31, title: "Kent Community Safety Agreement - Performance Update and Development of a New Agreement", item: "B8",
                             paragraphs: ["Jim Parris introduced a report on the development of the Kent Community Safety Agreement for 2014-17 and progress on the current agreement."],
                             resolution: .noted, resolutionText: "The Partnership noted the report and the steps to be taken to develop the next KCSA."),
                MinuteRecord(number: 32, title: "Date of next meeting - 17 October 2013 at 10.00am", item: "B9", resolution: .noted),
                MinuteRecord(number: 33, title: "Youth Related Issues", item: "B10", isPrivate: true,
                             paragraphs: ["Lee Russell updated the Partnership on youth related issues in Kent and the action being taken to address them."],
                             resolution: .noted),
                MinuteRecord(number: 34, title: "Domestic Homicide Reviews (DHRs)", item: "B11", isPrivate: true,
                             paragraphs: ["Alison Gilmour introduced a report on the delivery of Domestic Homicide Reviews across Kent and Medway (Domestic Violence, Crime and Victims Act 2004, s.9)."],
                             resolution: .noted),
                MinuteRecord(number: 35, title: "Community Safety Conference on Vulnerable Adults", isPrivate: true,
                             paragraphs: ["Jim Parris offered to organise a Community Safety Conference on Vulnerable Adults in 2014."]),
               ]),
        Record(date: "2013-10-17", time: "10:00", venue: "Darent Room, Sessions House, County Hall, Maidstone", contact: denise,
               issuedOn: "2013-10-09", packFirstPage: 3,
               items: [
                Item(code: "A1", title: "Apologies", kind: .verbalUpdate), Item(code: "A2", title: "Declarations of Interest", kind: .verbalUpdate),
                Item(code: "A3", title: "Notes of meeting held on 17 July 2013", pages: 6),
                Item(code: "B1", title: "Management of offender with short term prison sentences of less than 12 months", kind: .presentation,
                     promise: "Management of offenders with short prison sentences (under 12 months)"),
                Item(code: "B2", title: "Alcohol Strategy", pages: 30),
                Item(code: "B3", title: "Troubled Families", pages: 6),
                Item(code: "B4", title: "Funding of the Independent Domestic Violence Advisor (IDVA) Service Provision for Kent & Medway - 2014/15",
                     kind: .tabled, promise: "Funding of the IDVA service for 2014/15"),
                Item(code: "B5", title: "Joint Media and Communications Campaign", pages: 4),
                Item(code: "B6", title: "Kent Community Safety Agreement - Performance Update and Development of a New Agreement", pages: 14),
                Item(code: "C1", title: "Information governance and its implications on Community Safety", pages: 4),
                Item(code: "C2", title: "Approval of KCSP Funding Bids - September 2013", pages: 4),
                Item(code: "C3", title: "Dates of meetings in 2014", kind: .verbalUpdate),
                Item(code: "D1", title: "DHR Update", kind: .tabled, restricted: dhr),
                Item(code: "D2", title: "Prevent", kind: .presentation, restricted: intelligence),
               ]),
        Record(date: "2014-03-18", time: "10:00", venue: "Darent Room, Sessions House, County Hall, Maidstone", contact: denise,
               issuedOn: "2014-03-10", packFirstPage: 3, minutesStartAt: 50,
               items: [
                Item(code: "A1", title: "Apologies", kind: .verbalUpdate), Item(code: "A2", title: "Declarations of Interest", kind: .verbalUpdate),
                Item(code: "A3", title: "Notes of meeting held on 17 October 2013"),
                Item(code: "B1", title: "Kent Community Safety Agreement 2011-14 - Action Plan Partnership Anti Social Behaviour"),
                Item(code: "B2", title: "Legal Highs", kind: .verbalUpdate),
                Item(code: "B3", title: "Alcohol treatment referrals from both GP's and hospitals"),
                Item(code: "B4", title: "Independent Domestic Violence Advocate (IDVA) Update", kind: .presentation),
                Item(code: "B5", title: "Kent Community Safety Partnership Grant Funding Year End Report"),
                Item(code: "B6", title: "Kent Community Safety Agreement - Development of a New Agreement and Performance Update"),
                Item(code: "B7", title: "Stocktake, audit and review of Community Safety Services"),
                Item(code: "B8", title: "Multi-Agency Risk Assessment Conference (MARAC) - Future Support", kind: .verbalUpdate),
                Item(code: "C1", title: "Lessons Learned from Domestic Homicide Reviews (DHRs)", restricted: dhr),
                Item(code: "C2", title: "Date of next meeting - 8 July 2014", kind: .verbalUpdate),
                Item(code: "D1", title: "Domestic Homicide Review Update", restricted: dhr),
               ],
               present: ["Mr P M Hill, OBE|Chairman", "Mr David Coleman|Vice-Chairman", "Ms C Allen>Ms S Billiald", "Dr S Beaumont",
                         "Mr S Bone-Knell", "Ms A Brett>Ms H Carpenter", "Ms A Gilmour", "Mr J A Kite, MBE", "Ms E Martin", "Mr A Stewart",
                         "Ms Z Cooke", "Ms D Mauldon>Ms M Jarman-Howe", "ACC R Price", "Cllr M Rhodes", "Inspector M Smith", "Mr S Whitehead",
                         "Cllr J Wilson"],
               alsoPresent: ["Ms C Gatward"],
               inAttendance: ["Mr S Beaumont|Head of Community Safety and Emergency Planning", "Ms D Exall|Strategic Relationship Advisor",
                              "Mr J Parris|Community Safety Manager", "Ms D Fitch|Democratic Services Manager (Council)",
                              "Mrs D Wright|Head of Commissioned Services", "Mr M Rolfe|Trading Standards Manager (East)"],
               chairChanges: [("Mr David Coleman", 50, "As the Chairman had been called to an urgent meeting the Vice-Chairman took the chair for the start of the meeting."),
                              ("Mr P M Hill, OBE", 56, "The Chairman assumed the Chair for the remainder of the meeting.")],
               minutes: [
                MinuteRecord(number: 50, title: "Vice-Chairman in the Chair",
                             paragraphs: ["As the Chairman had been called to an urgent meeting the Vice-Chairman took the chair for the start of the meeting."]),
                MinuteRecord(number: 51, title: "Notes of meeting held on 17 October 2013", item: "A3",
                             paragraphs: ["The notes of the meeting held on 17 October 2013 were agreed as a true record and signed by the Chairman. Actions from the meeting were noted."],
                             resolution: .agreed),
                MinuteRecord(number: 52, title: "Kent Community Safety Agreement 2011-14 - Action Plan Partnership Anti Social Behaviour", item: "B1",
                             paragraphs: ["Stuart Beaumont (KCC) introduced a report on two of the agreed project outcomes around Anti-Social Behaviour.",
                                          "Jim Parris clarified the role of Districts and Borough Councils in the evaluation of the \"Themis\" ASB Case Management System before its second phase of roll out, anticipated in April 2014.",
                                          "Andy Raby (Kent Police) acknowledged the importance of partners finding the system useful and fit for purpose: the aim of partners using the same system was to avoid silo working."],
                             resolution: .noted,
                             resolutionText: "The KCSP noted progress on the partnership ASB Case Management system (Themis) and supported extending the review of the ASB Strategy, including a community trigger."),
                MinuteRecord(number: 53, title: "Legal Highs - verbal update", item: "B2",
                             paragraphs: ["Diane Wright (KCC) gave a verbal update on \"Legal Highs\", now known as New Psychoactive Substances.",
                                          "Mark Rolfe (KCC Trading Standards) referred to the enforcement strategy.",
                                          "Jess Mookherjee agreed to triangulate all the data available from the different sources."],
                             resolution: .agreed,
                             resolutionText: "It was agreed that there would be a progress report to a future meeting once the 2013/14 data was available.",
                             promises: [("Legal highs: progress report once the 2013/14 data is available", false)]),
                MinuteRecord(number: 54, title: "Alcohol treatment referrals from both GP's and hospitals", item: "B3",
                             paragraphs: ["Jess Mookherjee introduced a report on alcohol misuse in Kent and a plan for implementing the Alcohol Pathway."],
                             resolution: .noted),
                MinuteRecord(number: 55, title: "Independent Domestic Violence Advocate (IDVA) Update", item: "B4",
                             paragraphs: ["Chris Turner (Kent Criminal Justice Board) introduced an update on the IDVA service with the third quarter performance report.",
                                          "Tina Alexander (Kent Domestic Abuse Consortium) gave a presentation on the IDVA service."],
                             resolution: .noted),
                MinuteRecord(number: 56, title: "Chairman", paragraphs: ["The Chairman assumed the Chair for the remainder of the meeting."]),
                MinuteRecord(number: 57, title: "Kent Community Safety Partnership Grant Funding Year End Report", item: "B5",
                             paragraphs: ["Sean Bone-Knell introduced a report on applications for funding reviewed by the Kent Community Safety Team and approved by the Chairman.",
                                          "The Partners recorded their thanks to the Police and Crime Commissioner for her grant of £45k.",
                                          "In relation to the ASB school tours, Andy Rabey undertook to provide information to District Council colleagues in order to avoid duplication."],
                             resolution: .noted,
                             resolutionText: "The KCSP noted the distribution of the Police and Crime Commissioner's grant funding during 2013/14.",
                             actions: [Action(owner: "Andy Rabey", description: "Provide information on the ASB school tours to District Council colleagues to avoid duplication")]),
                MinuteRecord(number: 58, title: "Kent Community Safety Agreement - Development of a New Agreement and Performance Update", item: "B6",
                             paragraphs: ["Stuart Beaumont (KCC) introduced a report on the development of the Kent Community Safety Agreement for 2014-17.",
                                          "Sean Bone-Knell undertook to provide Mr Kite with an overview of the road safety building's capital and revenue costs."],
                             resolution: .noted,
                             resolutionText: "The KCSP noted progress on the draft Agreement 2014-17, to be circulated to members for final approval once complete.",
                             actions: [Action(owner: "Sean Bone-Knell", description: "Provide Mr Kite with an overview of the road safety building's capital and revenue costs")]),
                MinuteRecord(number: 59, title: "Stocktake, audit and review of Community Safety Services", item: "B7",
                             paragraphs: ["Andy Rabey introduced a report proposing a stocktake, audit and review of community safety services across Kent.",
                                          "Each Partner is requested to indicate whether or not they are willing to participate, to the timescale in paragraph 4.1 of the report.",
                                          "Partners referred to the role of the Health and Wellbeing Board in cross cutting community safety issues."],
                             actions: [Action(owner: "Mike Campbell", description: "Collect each partner's answer on taking part in the stocktake, audit and review",
                                              completedOn: "2014-07-08", note: "First phase approved at minute 70"),
                                       Action(owner: "Mr Hill", description: "Speak to Mr Gough (Chairman of the Health and Wellbeing Board)")]),
                MinuteRecord(number: 60, title: "Multi-Agency Risk Assessment Conference (MARAC) - Future Support - verbal update", item: "B8",
                             paragraphs: ["Jim Parris informed the Partners of an event organised by Kent Police to look at funding options for this service. There would be a report to the July meeting."],
                             actions: [Action(owner: "Jim Parris", description: "Report on MARAC funding options to the July meeting", dueAtNextMeeting: true,
                                              completedOn: "2014-07-08", note: "Item B3, MARAC Event")],
                             promises: [("MARAC: report on future support and funding options", true)]),
                MinuteRecord(number: 61, title: "Date of next meeting - 8 July 2014", item: "C2"),
                MinuteRecord(number: 62, title: "Domestic Homicide Review Update", item: "D1", isPrivate: true,
                             paragraphs: ["Stuart Beaumont and Alison Gilmore introduced a paper on the status of all of the Kent and Medway DHR cases."],
                             resolution: .agreed,
                             resolutionText: "The KCSP noted the progress of the current DHR cases and agreed that the key agencies contribute £5,000 a year towards DHRs; the Chairman would write to the Partners regarding funding."),
                MinuteRecord(number: 63, title: "Lessons Learned from Domestic Homicide Reviews (DHRs)", item: "C1", isPrivate: true,
                             paragraphs: ["Stuart Beaumont and Alison Gilmore introduced a summary of the seven key lessons identified locally and nationally from completed DHRs.",
                                          "The Chairman encouraged all Partners to attend the briefing sessions held for each DHR."],
                             resolution: .noted),
               ],
               minutesAgreedAt: "2014-07-08"),
        Record(date: "2014-07-08", time: "10:00", venue: "Medway Room, Sessions House, County Hall, Maidstone", contact: denise,
               issuedOn: "2014-06-30", packFirstPage: 3,
               items: [
                Item(code: "A1", title: "Apologies", kind: .verbalUpdate), Item(code: "A2", title: "Declarations of Interest", kind: .verbalUpdate),
                Item(code: "A3", title: "Notes of meeting held on 18 March 2014", pages: 8),
                Item(code: "B1", title: "Community Trigger Criteria & Review Process in Kent", pages: 6),
                Item(code: "B2", title: "Kent Community Safety Agreement - Development of a New Agreement and Performance Update", pages: 54),
                Item(code: "B3", title: "MARAC Event", pages: 6, promise: "MARAC: report on future support and funding options"),
                Item(code: "B4", title: "Kent and Medway Reducing Reoffending Board (KMRRB)", kind: .verbalUpdate),
                Item(code: "B5", title: "Stocktake, audit and review of Community Safety Services Update", kind: .presentation),
                Item(code: "B6", title: "Community Safety Conference", kind: .verbalUpdate),
                Item(code: "C1", title: "Date of next meeting - 14 October 2014 at 2.00pm", kind: .verbalUpdate),
                Item(code: "D1", title: "Domestic Homicide Reviews - update report", kind: .tabled, restricted: dhr),
                Item(code: "D2", title: "New Communities", kind: .verbalUpdate, restricted: intelligence),
               ],
               present: ["Mr David Coleman|Vice-Chairman, in the Chair", "Ms C Allen", "Dr S Beaumont", "Mrs V Coffey", "Mr S Bone-Knell", "Ms A Brett",
                         "Ms Z Cooke", "Ms S Davison", "Cllr P Hicks", "Ms T Kadir", "Ms E Martin", "B King", "Acting Chief Superintendent A. Rabey",
                         "Mr M Smith", "Mr A Stewart"],
               alsoPresent: ["Ms C Gatward", "Mr S Nolan"],
               inAttendance: ["Ms A Gilmour|Kent & Medway Domestic Violence Co-ordinator", "Mr J Parris|Community Safety Manager",
                              "Ms D Fitch|Democratic Services Manager (Council)", "Mr M Campbell|Policy Officer"],
               chairChanges: [("Mr David Coleman", 64, "As the Chairman had to attend a meeting of the Growth, Economic Development and Communities Cabinet Committee the Vice-Chairman took the chair for the meeting.")],
               minutes: [
                MinuteRecord(number: 64, title: "Vice-Chairman in the Chair",
                             paragraphs: ["As the Chairman had to attend a meeting of the Growth, Economic Development and Communities Cabinet Committee the Vice-Chairman took the chair for the meeting."]),
                MinuteRecord(number: 65, title: "Notes of meeting held on 18 March 2014", item: "A3",
                             paragraphs: ["The notes of the meeting held on 18 March 2014 were agreed as a true record and signed by the Chairman."],
                             resolution: .agreed),
                MinuteRecord(number: 66, title: "Community Trigger Criteria & Review Process in Kent", item: "B1",
                             paragraphs: ["Jim Parris (KCC – Community Safety) introduced a report on reaching agreement on the criteria and review process for the Community Trigger.",
                                          "It was suggested that there should be a training session for the Parish Councils on the Community Trigger.",
                                          "Andy Rabey (Kent Police) asked for clarity in the wording \"separate incident\" and \"no action\" so the criteria could be applied consistently."],
                             resolution: .agreed,
                             resolutionText: "Progress was noted and a further report detailing the agreed community trigger criteria to be considered at the next meeting.",
                             actions: [Action(owner: "Jim Parris", description: "Further report detailing the agreed Community Trigger criteria to the next meeting",
                                              dueAtNextMeeting: true)],
                             promises: [("Community Trigger: the agreed criteria and review process", true)]),
                MinuteRecord(number: 67, title: "Kent Community Safety Agreement - Development of a New Agreement and Performance Update", item: "B2",
                             paragraphs: ["Jim Parris introduced a report on the outcomes of the Agreement for 2011-14 and the development of the new Agreement for 2014-17 and its action plan."],
                             resolution: .approved, resolutionText: "It was agreed that the Kent Community Safety Agreement for 2014-17 be approved."),
                MinuteRecord(number: 68, title: "MARAC Event", item: "B3",
                             paragraphs: ["Alison Gilmour updated the Partners on the work of the MARACs: an increase in high risk cases and a need to build capacity.",
                                          "Alison stated that there may be a further paper to the next meeting on the outcomes of the consultant's work."],
                             resolution: .noted,
                             actions: [Action(owner: "DCI Andy Prichard", description: "Further paper on the outcomes of the consultant's work on MARACs to the next meeting",
                                              dueAtNextMeeting: true)]),
                MinuteRecord(number: 69, title: "Kent and Medway Reducing Reoffending Board (KMRRB) - verbal update", item: "B4",
                             paragraphs: ["Andy Rabey (Kent Police) updated the Partnership on the meeting of this new Board."],
                             resolution: .noted, resolutionText: "The Partners noted the verbal update on the KMRRB."),
                MinuteRecord(number: 70, title: "Stocktake, audit and review of Community Safety Services Update - Presentation", item: "B5",
                             paragraphs: ["Chief Superintendent Sean Beautridge, Chairman of the Steering Group, gave a presentation on the Community Safety Stocktake, audit and review."],
                             resolution: .approved, resolutionText: "The Partnership approved the first phase of the Community Safety Stocktake, audit and review."),
                MinuteRecord(number: 71, title: "Community Safety Conference - verbal report", item: "B6",
                             paragraphs: ["As the Chairman was not able to join the meeting for this item it was withdrawn."], resolution: .withdrawn),
                MinuteRecord(number: 72, title: "Date of next meeting - 14 October 2014 at 2.00pm", item: "C1", resolution: .noted),
                MinuteRecord(number: 73, title: "Domestic Homicide Reviews (DHR's) - update report", item: "D1", isPrivate: true,
                             paragraphs: ["Alison Gilmour introduced the report tabled at the meeting with an update on each case and the process for monitoring DHR recommendations."],
                             resolution: .agreed,
                             resolutionText: "The Partnership agreed the escalation process to ensure agencies provide timely updates on DHR recommendations, and the dissolution of the Task and Finish Group."),
                MinuteRecord(number: 74, title: "New Communities - verbal update", item: "D2", isPrivate: true,
                             paragraphs: ["Andy Rabey and Andrea Bishop (Kent Police) gave a verbal update on emerging intelligence issues relating to communities in Kent."]),
               ]),
        Record(date: "2014-10-14", time: "14:00", venue: "Darent Room, Sessions House, County Hall, Maidstone", contact: denise,
               issuedOn: "", packFirstPage: 3, items: []),
        Record(date: "2022-11-17", time: "10:00", venue: nil, issuedOn: "2022-11-09", minutesStartAt: 70,
               items: [
                Item(code: "A1", title: "Introduction", kind: .verbalUpdate), Item(code: "A2", title: "Apologies", kind: .verbalUpdate),
                Item(code: "A3", title: "Declarations of Interest", kind: .verbalUpdate),
                Item(code: "A4", title: "Notes of meeting held on 14 July 2022"),
                Item(code: "B1", title: "Kent Community Safety Agreement Update"),
                Item(code: "B2", title: "Kent Community Safety Partnership Working Group Update"),
                Item(code: "B3", title: "Domestic Abuse Update", kind: .presentation),
                Item(code: "B4", title: "Kent and Medway Safeguarding Adults Board (KMSAB) Update", kind: .presentation),
                Item(code: "C1", title: "Date of next meeting", kind: .verbalUpdate),
                Item(code: "D1", title: "Domestic Homicide Review (DHR) Update", restricted: dhr),
                Item(code: "D2", title: "Kent and Medway PREVENT Duty Delivery Board Update", restricted: intelligence),
                Item(code: "D3", title: "Kent and Medway Joint Exploitation Group Update", restricted: intelligence),
               ],
               present: ["Mr H Hill|Chair", "Mr J Rivers|Vice-Chair", "Mr N Wilkinson", "Mr A Harper", "Ms A Oates", "Mr D Keers", "Mr S Mochrie-Cox",
                         "Ms C Collins", "Ms C Jones", "Mr M Powell", "Mr B Platt", "Ms L Dixon", "Ms J Mookherjee", "Mr S Peerbux", "Ms R Westlake",
                         "Ms S Annan-Veitch", "Ms E Oates", "Ms K Turner"],
               inAttendance: ["Mrs A Taylor", "Mr D Westhoff"],
               minutes: [
                MinuteRecord(number: 70, title: "Introduction", item: "A1"),
                MinuteRecord(number: 71, title: "Notes of meeting held on 14 July 2022", item: "A4", resolution: .agreed,
                             resolutionText: "RESOLVED that the notes of the meeting held on 14 July 2022 were correctly recorded and be signed by the Chairman."),
                MinuteRecord(number: 72, title: "Kent Community Safety Agreement Update", item: "B1",
                             paragraphs: ["Mr Peerbux (Head of Community Safety, KCC) introduced the update: recent awareness-raising weeks had reflected the CSA's priorities.",
                                          "Violence Against Women and Girls (VAWG) and gender-based violence were noted as areas needing additional focus.",
                                          "Ms Brinson said that the annual strategic assessment process was underway, with a data workshop for partners."],
                             resolution: .noted, resolutionText: "RESOLVED that the KCSP Members noted the update."),
                MinuteRecord(number: 73, title: "Kent Community Safety Partnership Working Group Update", item: "B2",
                             paragraphs: ["Mr Peerbux gave an overview of the Crime Reduction Grant projects agreed or subject to funding bids; about £10,000 would be left if current bids succeeded.",
                                          "Once completed, the review of the KCST would be briefed to its senior management before being brought to this partnership.",
                                          "Ms Brinson gave an update on planning the conference, provisionally on 28 March 2023."],
                             resolution: .noted,
                             resolutionText: "RESOLVED the KCSP Members noted the progress and actions undertaken by the Working Group and the work of the KCST.",
                             promises: [("Review of the Kent Community Safety Team", false)]),
                MinuteRecord(number: 74, title: "Domestic Abuse Update", item: "B3",
                             paragraphs: ["Ms Westlake introduced the update and a presentation on the review of the Kent Integrated Domestic Abuse Service (KIDAS): 87% of users were happy with the service.",
                                          "Ms Annan-Veitch updated the Partnership on the Kent and Medway Domestic Abuse Strategy and Delivery Plan."],
                             resolution: .noted, resolutionText: "RESOLVED that the KCSP Members noted the update."),
                MinuteRecord(number: 75, title: "Kent and Medway Safeguarding Adults Board (KMSAB) Update", item: "B4",
                             paragraphs: ["Mr Rabey (Chair of the KMSAB) gave a presentation on the KMSAB Strategic Plan 2022-2025."],
                             resolution: .noted, resolutionText: "RESOLVED that the KCSP Members noted the update."),
                MinuteRecord(number: 76, title: "Date of next meeting", item: "C1", resolution: .noted,
                             resolutionText: "RESOLVED that the future meeting date be noted."),
                MinuteRecord(number: 77, title: "Domestic Homicide Review (DHR) Update", item: "D1", isPrivate: true,
                             paragraphs: ["Mr Peerbux provided an update on the Kent and Medway DHR cases; all published cases are on the kent.gov.uk website.",
                                          "The funding model, with all statutory partners contributing towards DHRs, would remain the same as previous years."],
                             resolution: .agreed,
                             resolutionText: "RESOLVED that the funding arrangements for 2023/24 have been agreed and that the DHR update be noted."),
                MinuteRecord(number: 78, title: "Kent and Medway PREVENT Duty Delivery Board Update", item: "D2", isPrivate: true,
                             paragraphs: ["Mr Wilkinson (Assistant Director Contest and Serious Organised Crime, KCC) provided an update on the PREVENT Duty Delivery Board."],
                             resolution: .noted),
                MinuteRecord(number: 79, title: "Kent and Medway Joint Exploitation Group Update", item: "D3", isPrivate: true,
                             paragraphs: ["Mr Wilkinson provided Members with an update on the Kent and Medway Joint Exploitation Group."],
                             resolution: .noted),
               ]),
        Record(date: "2023-03-21", time: "10:00", venue: nil, contact: (name: "Dominic Westhoff", phone: "03000 412188", email: nil),
               issuedOn: "2023-03-13",
               items: [
                Item(code: "A1", title: "Introduction", kind: .verbalUpdate), Item(code: "A2", title: "Apologies", kind: .verbalUpdate),
                Item(code: "A3", title: "Declarations of Interest", kind: .verbalUpdate),
                Item(code: "A4", title: "Notes of meeting held on 17 November 2022", pages: 6),
                Item(code: "B1", title: "Kent Community Safety Agreement Review and Refresh", pages: 40),
                Item(code: "B2", title: "Kent Community Safety Partnership Working Group Update", pages: 6),
                Item(code: "B3", title: "MARAC Update", pages: 6),
                Item(code: "B4", title: "Crimestoppers Update", kind: .verbalUpdate),
                Item(code: "B5", title: "Neighbourhood Policing Review Update", kind: .verbalUpdate),
                Item(code: "C1", title: "Date of future meetings: 12 July 2023 and 16 November 2023", kind: .verbalUpdate),
                Item(code: "D1", title: "Domestic Homicide Reviews (DHRs) - update", restricted: dhr),
                Item(code: "D2", title: "Kent and Medway PREVENT Duty Board Update", restricted: intelligence),
                Item(code: "D3", title: "Kent and Medway Joint Exploitation Group Update", restricted: intelligence),
               ]),
    ]

    /// The members the papers name with a role, and the demo's partnership member (so that signing in as
    /// member@concord.demo shows what a member of the body sees).
    static let memberships: [(person: String, role: MembershipRole, from: String, to: String?, email: String?)] = [
        ("Mr P M Hill, OBE", .chair, "2013-04-01", "2017-05-04", nil),
        ("Mr David Coleman", .viceChair, "2013-04-01", "2017-05-04", nil),
        ("Mr H Hill", .chair, "2021-05-06", nil, nil),
        ("Mr J Rivers", .viceChair, "2021-05-06", nil, nil),
        ("Mel Member", .member, "2021-05-06", nil, "member@concord.demo"),
    ]

    static func load(into database: ConcordDatabase, bodyId: Int64) async throws {
        let store = GovernanceStore(database: database)
        let directory = DirectoryStore(database: database)
        let audit = AuditContext.commandLine
        var people: [String: Int64] = [:]
        func person(_ name: String, title: String? = nil, email: String? = nil) async throws -> Int64 {
            if let id = people[name] { return id }
            let id = try await directory.createPerson(Person(id: 0, name: name, jobTitle: title, email: email), audit: audit).id
            people[name] = id
            return id
        }
        for membership in memberships {
            _ = try await directory.addMembership(bodyId: bodyId, personId: try await person(membership.person, email: membership.email),
                                                  role: membership.role, representing: nil,
                                                  from: CalendarDate(iso: membership.from), to: membership.to.flatMap(CalendarDate.init(iso:)),
                                                  audit: audit)
        }

        var meetingIds: [String: Int64] = [:]
        for record in records {
            meetingIds[record.date] = try await store.saveMeeting(
                id: nil, expectedVersion: nil,
                MeetingInput(bodyId: bodyId, heldOn: CalendarDate(iso: record.date)!, startsAt: record.time, venue: record.venue,
                             contactName: record.contact?.name, contactPhone: record.contact?.phone, contactEmail: record.contact?.email,
                             packFirstPage: record.packFirstPage, minutesStartAt: record.minutesStartAt),
                audit: audit)
        }
        let dates = records.map(\.date)
        func nextMeeting(after date: String) -> String? { dates.first { $0 > date } }

        var promised: [String: Int64] = [:]
        for record in records {
            let meetingId = meetingIds[record.date]!
            var itemIds: [String: Int64] = [:]
            for item in record.items {
                let section = AgendaSection(rawValue: String(item.code.prefix(1)))!
                let restriction = item.restricted.map { Restriction(paragraph: $0.0, reason: $0.1, audience: $0.2) }
                itemIds[item.code] = try await store.addItem(
                    meetingId: meetingId,
                    AgendaItemInput(section: section, code: item.code, title: item.title, kind: item.kind,
                                    isStanding: section == .committeeBusiness, restriction: restriction, pageCount: item.pages,
                                    forwardPlanEntryId: item.promise.flatMap { promised[$0] }),
                    audit: audit).id
            }
            if let issued = CalendarDate(iso: record.issuedOn) {
                let meeting = try await store.meeting(id: meetingId)!
                try await store.publishAgenda(meetingId: meetingId, expectedVersion: meeting.version,
                                              at: GovernanceRules.startInstant(of: Meeting(id: 0, bodyId: bodyId, heldOn: issued, startsAt: "09:00",
                                                                                          venue: nil, publicId: "")),
                                              audit: audit)
            }
            for (kind, entries) in [(AttendanceKind.present, record.present), (.alsoPresent, record.alsoPresent), (.inAttendance, record.inAttendance)] {
                for entry in entries {
                    let (name, capacity) = split(entry, "|")
                    let (attendee, substituteFor) = split(name, ">")
                    try await store.recordAttendance(meetingId: meetingId, personId: try await person(attendee, title: kind == .inAttendance ? capacity : nil),
                                                     kind: kind, substituteForPersonId: try await substituteFor.asyncMap { try await person($0) },
                                                     capacity: capacity, audit: audit)
                }
            }
            for change in record.chairChanges {
                try await store.recordChairChange(meetingId: meetingId, personId: try await person(change.person), atMinuteNumber: change.minute,
                                                  note: change.note, audit: audit)
            }
            for minute in record.minutes {
                let saved = try await store.addMinute(
                    meetingId: meetingId,
                    MinuteInput(number: minute.number, title: minute.title, agendaItemId: minute.item.flatMap { itemIds[$0] },
                                citedItemCode: minute.item, isPrivate: minute.isPrivate, paragraphs: minute.paragraphs,
                                resolution: minute.resolution, resolutionText: minute.resolutionText),
                    audit: audit)
                let next = nextMeeting(after: record.date)
                for action in minute.actions {
                    let id = try await store.addAction(minuteId: saved.id,
                                                       GovernanceActionInput(ownerName: action.owner, description: action.description,
                                                                             dueMeetingId: action.dueAtNextMeeting ? next.flatMap { meetingIds[$0] } : nil),
                                                       audit: audit)
                    if let done = action.completedOn.flatMap(CalendarDate.init(iso:)) {
                        try await store.completeAction(id: id, expectedVersion: 1, on: done, note: action.note, audit: audit)
                    }
                }
                for promise in minute.promises {
                    promised[promise.title] = try await store.addForwardPlanEntry(
                        bodyId: bodyId, title: promise.title, sourceMinuteId: saved.id,
                        forMeetingId: promise.toNextMeeting ? next.flatMap { meetingIds[$0] } : nil, dueBy: nil, audit: audit)
                }
            }
            if !record.minutes.isEmpty {
                var meeting = try await store.meeting(id: meetingId)!
                try await store.publishMinutes(meetingId: meetingId, expectedVersion: meeting.version, audit: audit)
                if let agreedAt = record.minutesAgreedAt.flatMap({ meetingIds[$0] }) {
                    meeting = try await store.meeting(id: meetingId)!
                    try await store.agreeMinutes(meetingId: meetingId, expectedVersion: meeting.version, atMeetingId: agreedAt,
                                                 signedBy: "Mr P M Hill, OBE (Chairman)", audit: audit)
                }
            }
        }
    }

    private static func split(_ text: String, _ separator: Character) -> (String, String?) {
        let parts = text.split(separator: separator, maxSplits: 1).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1] : nil)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
